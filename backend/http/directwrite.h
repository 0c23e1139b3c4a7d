#pragma once

#include <QByteArray>

class QTcpSocket;

namespace pw::http {

// Writes `head` and then `body` to a plain TCP socket's descriptor in one system call, without
// copying them into the socket's write buffer, when nothing is queued before them; what the
// kernel does not take now is queued on the socket as usual. Besides the copy it saves, the
// socket's write buffer keeps its block for the connection's life, and every page a message
// copied into it stays resident: an idle WebSocket sent one 2.4 KB message holds a page more
// than one sent 50 bytes (bench/RESULTS.md, idle WebSocket memory).
// False: nothing was written (a TLS socket, bytes already queued, not connected, or an error
// the socket reports itself); write through the socket instead.
namespace DirectWrite {
bool send(QTcpSocket *socket, const QByteArray &head, const QByteArray &body);
} // namespace DirectWrite

} // namespace pw::http
