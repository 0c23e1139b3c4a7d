#pragma once

#include "httpserver.h"
#include "websocketframescanner.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class QTcpSocket;
class QWebSocketServer;

namespace pw::http {

// Stays with a socket handed to a QWebSocketServer, for what QWebSocket 6.4 does not do
// itself:
// - bytes that came with the handshake (a first frame in the same write) are held back
//   while the server reads the handshake and given to the WebSocket once it exists;
// - RFC 6455 §5.1: an unmasked client frame closes the connection with 1002 before
//   QWebSocket sees it; a frame over maxWebSocketFrameBytes closes it with 1009;
// - RFC 6455 §10.4: what is queued for the client, Qt's automatic pongs included, is
//   bounded: a client that keeps sending while more than the limit waits unread is cut.
// QWebSocket is only ever offered whole frames: given part of one it would read on by
// itself while it processes, past what was checked. An unfinished frame waits here.
// Owned by the socket. Its slots run before QWebSocket's (connected first) and after them.
class WebSocketGuard : public QObject
{
    Q_OBJECT
public:
    // The handshake (`headBytes`) is back in the socket's buffer; `early`: what followed it.
    WebSocketGuard(QTcpSocket *socket, QWebSocketServer *server, HttpServer *http,
                   qsizetype headBytes, QByteArray early);

private:
    void beforeRead();
    void afterRead();
    void onNewConnection();
    // Scans `fresh` (new bytes), then puts what forms whole frames, after `offered` (whole
    // frames QWebSocket left), back in front of the socket's buffer.
    void offer(const QByteArray &offered, const QByteArray &fresh);
    // Feeds new bytes to the frame scanner; false when they are refused (and the
    // connection closed).
    bool scan(const QByteArray &fresh);
    // `scanned` (every byte not yet taken by the WebSocket, in order): its whole frames go
    // back in front of the socket's buffer, the unfinished one at its end waits in m_pending.
    void holdBackUnfinished(const QByteArray &scanned);
    void refuse(int closeCode, HttpServer::Limit limit, const char *why);
    void count(HttpServer::Limit limit);

    QTcpSocket *m_socket;
    QPointer<QWebSocketServer> m_server;
    QPointer<HttpServer> m_http; // the WebSocket may outlive the HTTP server
    qint64 m_maxQueued;
    WebSocketFrameScanner m_scanner;
    QByteArray m_early;
    QByteArray m_pending;  // scanned, the start of an unfinished frame
    qsizetype m_headBytes;
    qint64 m_offered = 0;  // whole frames at the front of the socket's buffer, already scanned
    bool m_open = false;   // the WebSocket exists
    bool m_done = false;   // refused or cut
};

} // namespace pw::http
