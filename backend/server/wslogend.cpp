#include "wslogend.h"

#include "wsconnection.h"
#include "wsjson.h"

namespace pw::server {

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

} // namespace WsLogEnd

} // namespace pw::server
