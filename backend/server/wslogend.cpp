#include "wslogend.h"

#include "wsconnection.h"
#include "wsjson.h"

#include <QJsonArray>

namespace WsLogEnd {

void close(WsConnection *connection, const QString &detail)
{
    connection->close(QWebSocketProtocol::CloseCodeNormal,
                      connection->isV1() && !detail.isEmpty()
                          ? QStringLiteral("log ended: %1").arg(detail)
                          : QStringLiteral("log ended"));
}

void fail(WsConnection *connection, const QString &error)
{
    connection->send(WsJson::error(error));
    connection->close(QWebSocketProtocol::CloseCodePolicyViolated, error);
}

QString jobFinished(const QJsonObject &job)
{
    const QJsonArray conditions =
        job[QLatin1String("status")][QLatin1String("conditions")].toArray();
    for (const QJsonValue &cond : conditions) {
        const QString type = cond[QLatin1String("type")].toString();
        if ((type == QLatin1String("Complete") || type == QLatin1String("Failed"))
            && cond[QLatin1String("status")].toString() == QLatin1String("True"))
            return type;
    }
    return {};
}

} // namespace WsLogEnd
