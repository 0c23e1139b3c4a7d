#pragma once

#include <QJsonObject>
#include <QString>

namespace pw::server {

// Building the JSON text frames of the WebSocket API (docs/architecture.md §4) other than the log
// frames, which core/logframe writes straight into one buffer.
namespace WsJson {
// A compact JSON object as a text frame.
QString text(const QJsonObject &object);
// {"type":"error","error":…}
QString error(const QString &message);
} // namespace WsJson

} // namespace pw::server
