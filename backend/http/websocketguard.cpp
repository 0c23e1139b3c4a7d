#include "websocketguard.h"

#include "httplog.h"
#include "httpserver.h"

#include <QTcpSocket>
#include <QWebSocketServer>

WebSocketGuard::WebSocketGuard(QTcpSocket *socket, QWebSocketServer *server, HttpServer *http,
                               qsizetype headBytes, QByteArray early)
    : QObject(socket)
    , m_socket(socket)
    , m_server(server)
    , m_http(http)
    , m_maxQueued(http->limits().maxWebSocketQueuedBytes)
    , m_early(std::move(early))
    , m_headBytes(headBytes)
{
    connect(socket, &QTcpSocket::readyRead, this, &WebSocketGuard::beforeRead);
    connect(server, &QWebSocketServer::newConnection, this, &WebSocketGuard::onNewConnection);
}

void WebSocketGuard::count(HttpServer::Limit limit)
{
    if (m_http)
        m_http->countLimit(limit);
}

void WebSocketGuard::onNewConnection()
{
    // The server has read our handshake once nothing of it is left in the buffer (it held
    // exactly the handshake); another socket's handshake leaves ours there.
    if (m_open || m_socket->bytesAvailable() > 0)
        return;
    m_open = true;
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketGuard::afterRead);
    m_seen = 0;
    if (m_early.isEmpty())
        return;
    for (qsizetype i = m_early.size() - 1; i >= 0; --i)
        m_socket->ungetChar(m_early[i]);
    m_early.clear();
    // QWebSocket reads on readyRead only; these bytes came before it existed.
    QMetaObject::invokeMethod(
        this, [socket = m_socket] { Q_EMIT socket->readyRead(); }, Qt::QueuedConnection);
}

void WebSocketGuard::beforeRead()
{
    if (m_done) {
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (!m_open) {
        // Whatever follows the handshake waits until the WebSocket exists.
        if (m_socket->bytesAvailable() > m_headBytes) {
            const QByteArray all = m_socket->readAll();
            m_early += all.sliced(m_headBytes);
            for (qsizetype i = m_headBytes - 1; i >= 0; --i)
                m_socket->ungetChar(all[i]);
        }
        return;
    }
    if (m_socket->bytesToWrite() > m_maxQueued) {
        // The client sends (pings, say) but does not read what they cause.
        count(HttpServer::Limit::WebSocketQueueFull);
        qCInfo(lcHttp) << "cutting a WebSocket client that left" << m_socket->bytesToWrite()
                       << "bytes unread:" << m_socket->peerAddress().toString();
        m_done = true;
        m_socket->abort();
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    if (available < m_seen)
        m_seen = 0; // read outside a readyRead: what is left was not scanned
    if (available == m_seen)
        return;
    if (!m_scanner.feed(QByteArrayView(m_socket->peek(available)).sliced(m_seen)))
        refuseUnmasked();
    else
        m_seen = available;
}

void WebSocketGuard::afterRead()
{
    m_seen = m_socket->bytesAvailable();
}

void WebSocketGuard::refuseUnmasked()
{
    count(HttpServer::Limit::WebSocketUnmasked);
    qCInfo(lcHttp) << "closing a WebSocket client that sent an unmasked frame:"
                   << m_socket->peerAddress().toString();
    m_done = true;
    m_socket->skip(m_socket->bytesAvailable()); // QWebSocket never sees the frame
    // RFC 6455 §5.1, §7.4.1: close with 1002 (protocol error).
    m_socket->write(QByteArray("\x88\x02\x03\xea", 4));
    m_socket->disconnectFromHost();
}
