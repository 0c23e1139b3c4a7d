#include "wsjson.h"

#include <QJsonDocument>

namespace pw::server {

namespace WsJson {

QString text(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString error(const QString &message)
{
    return text({{QStringLiteral("type"), QStringLiteral("error")},
                 {QStringLiteral("error"), message}});
}

} // namespace WsJson

} // namespace pw::server
