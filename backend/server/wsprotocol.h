#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

class QWebSocket;

namespace pw::server {

// The version of the WebSocket API a connection speaks (docs/api.md "Protocol versions",
// docs/architecture.md §4). V1: exactly the messages of the service Pullwatch replaces, for
// its unmodified clients. V2: Pullwatch's own messages (acks, errors, stream states, gaps).
enum class WsVersion { V1, V2 };

namespace WsProtocol {
// The subprotocols the server answers in the handshake: "pullwatch.v2".
QStringList subprotocols();
// Checks a v= query parameter ("1" or "2"); empty when it is absent or valid, else an error
// naming it and what is allowed. `items` are the decoded query items.
QString queryError(const QList<QPair<QString, QString>> &items);
// The version of an accepted socket: V2 when the handshake chose "pullwatch.v2" or the URL
// says v=2, else V1. Once the handshake has answered the subprotocol, it wins over v=.
WsVersion of(const QWebSocket &socket);
} // namespace WsProtocol

} // namespace pw::server
