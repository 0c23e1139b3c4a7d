#include "envelope.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace pw::core {

namespace Envelope {

QByteArray success(const QJsonValue &data, const QString &message)
{
    const QJsonObject o{{QStringLiteral("code"), 200},
                        {QStringLiteral("message"), message},
                        {QStringLiteral("data"), data}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray error(int status, const QString &message)
{
    const QJsonObject o{{QStringLiteral("code"), status}, {QStringLiteral("error"), message}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Parsed parse(const QByteArray &body)
{
    Parsed p;
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        p.error = QStringLiteral("response is not a JSON object");
        return p;
    }
    const QJsonObject o = doc.object();
    if (!o.value(QStringLiteral("code")).isDouble()) {
        p.error = QStringLiteral("response has no numeric \"code\"");
        return p;
    }
    p.ok = true;
    p.code = o.value(QStringLiteral("code")).toInt();
    p.message = o.value(QStringLiteral("message")).toString();
    p.error = o.value(QStringLiteral("error")).toString();
    p.data = o.value(QStringLiteral("data"));
    return p;
}

} // namespace Envelope

} // namespace pw::core
