#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace pw::core {

// The response envelopes of the original service (docs/architecture.md §3), in one place:
//   success: {"code":200,"message":"success","data":…}
//   error:   {"code":<status>,"error":"<what was wrong and what is allowed>"}
namespace Envelope {
QByteArray success(const QJsonValue &data, const QString &message = QStringLiteral("success"));
QByteArray error(int status, const QString &message);

// Reading side, for clients (the window's ApiClient, tests).
struct Parsed
{
    bool ok = false;     // a well-formed envelope
    int code = 0;        // the "code" field
    QString message;     // "message" on success
    QString error;       // "error" on failure, or why the bytes were not an envelope
    QJsonValue data;
};
Parsed parse(const QByteArray &body);
} // namespace Envelope

} // namespace pw::core
