#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

// Building the JSON text frames of the WebSocket API (docs/architecture.md §4) without a DOM where it
// matters: log frames are written straight into one buffer.
namespace WsJson {
// Appends `utf8` as the contents of a JSON string (RFC 8259 §7 escaping, no quotes).
void appendEscaped(QByteArray &out, QByteArrayView utf8);
// A compact JSON object as a text frame.
QString text(const QJsonObject &object);
// {"type":"error","error":…}
QString error(const QString &message);
// {"type":"gap","missed":n}
QString gap(qint64 missed, const QString &detail = {});
// {"type":"stream","state":…,"detail":…,…extra}
QString stream(const QString &state, const QString &detail, const QJsonObject &extra = {});
} // namespace WsJson
