#pragma once

#include "httpserver.h"
#include "websocketframescanner.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class QTcpSocket;
class QWebSocketServer;

// Stays with a socket handed to a QWebSocketServer, for what QWebSocket 6.4 does not do
// itself:
// - bytes that came with the handshake (a first frame in the same write) are held back
//   while the server reads the handshake and given to the WebSocket once it exists;
// - RFC 6455 §5.1: an unmasked client frame closes the connection with 1002 before
//   QWebSocket sees it;
// - RFC 6455 §10.4: what is queued for the client, Qt's automatic pongs included, is
//   bounded: a client that keeps sending while more than the limit waits unread is cut.
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
    void refuseUnmasked();
    void count(HttpServer::Limit limit);

    QTcpSocket *m_socket;
    QPointer<QWebSocketServer> m_server;
    QPointer<HttpServer> m_http; // the WebSocket may outlive the HTTP server
    qint64 m_maxQueued;
    WebSocketFrameScanner m_scanner;
    QByteArray m_early;
    qsizetype m_headBytes;
    qint64 m_seen = 0; // bytes at the front of the socket's buffer already scanned
    bool m_open = false; // the WebSocket exists
    bool m_done = false; // refused or cut
};
