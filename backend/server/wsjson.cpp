#include "wsjson.h"

#include <QJsonDocument>

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

QString gap(qint64 missed, const QString &detail)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("gap")},
                  {QStringLiteral("missed"), missed}};
    if (!detail.isEmpty())
        o.insert(QStringLiteral("detail"), detail);
    return text(o);
}

QString stream(const QString &state, const QString &detail, const QJsonObject &extra)
{
    QJsonObject o = extra;
    o.insert(QStringLiteral("type"), QStringLiteral("stream"));
    o.insert(QStringLiteral("state"), state);
    o.insert(QStringLiteral("detail"), detail);
    return text(o);
}

} // namespace WsJson
