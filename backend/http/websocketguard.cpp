#include "websocketguard.h"

#include "httplog.h"
#include "httpserver.h"

#include <QTcpSocket>
#include <QWebSocketServer>

#include <utility>

namespace pw::http {

namespace {

void putBack(QTcpSocket *socket, const QByteArray &bytes)
{
    for (qsizetype i = bytes.size() - 1; i >= 0; --i)
        socket->ungetChar(bytes[i]);
}

} // namespace

WebSocketGuard::WebSocketGuard(QTcpSocket *socket, QWebSocketServer *server, HttpServer *http,
                               qsizetype headBytes, QByteArray early)
    : QObject(socket)
    , m_socket(socket)
    , m_server(server)
    , m_http(http)
    , m_maxQueued(http->limits().maxWebSocketQueuedBytes)
    , m_scanner(quint64(http->limits().maxWebSocketFrameBytes))
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
    // Connected after QWebSocket's own slot: runs when it has taken what it takes.
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketGuard::afterRead);
    const QByteArray early = std::exchange(m_early, QByteArray());
    offer({}, early);
    if (m_offered > 0) {
        // QWebSocket reads on readyRead only; these bytes came before it existed. m_offered
        // tells the next beforeRead() they are scanned.
        QMetaObject::invokeMethod(
            this, [socket = m_socket] { Q_EMIT socket->readyRead(); }, Qt::QueuedConnection);
    }
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
            putBack(m_socket, all.first(m_headBytes));
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
    if (available < m_offered)
        m_offered = available; // taken outside a readyRead
    if (available == m_offered)
        return;
    if (m_pending.isEmpty()) {
        // The usual case: the new bytes are scanned where they are and, when they end on a
        // frame's end, stay in the socket's buffer. Taking them out and putting them back
        // would make the buffer allocate a block in front of its data on every read — a
        // resident page per idle connection once its first pong came in.
        const QByteArray fresh = m_socket->peek(available).sliced(m_offered);
        if (!scan(fresh))
            return;
        const qsizetype partial = qsizetype(m_scanner.partialBytes());
        if (partial == 0) {
            m_offered = available;
            return;
        }
        holdBackUnfinished(m_socket->readAll());
        return;
    }
    const QByteArray all = m_socket->readAll();
    offer(all.first(m_offered), all.sliced(m_offered));
}

void WebSocketGuard::afterRead()
{
    m_offered = m_socket->bytesAvailable();
}

bool WebSocketGuard::scan(const QByteArray &fresh)
{
    switch (m_scanner.feed(fresh)) {
    case WebSocketFrameScanner::Verdict::Ok:
        return true;
    case WebSocketFrameScanner::Verdict::Unmasked:
        // RFC 6455 §5.1, §7.4.1: close with 1002 (protocol error).
        refuse(1002, HttpServer::Limit::WebSocketUnmasked, "sent an unmasked frame");
        return false;
    case WebSocketFrameScanner::Verdict::TooLarge:
        // RFC 6455 §7.4.1: 1009, a message too big to process.
        refuse(1009, HttpServer::Limit::WebSocketFrameTooLarge, "announced a frame too large");
        return false;
    }
    return false;
}

void WebSocketGuard::offer(const QByteArray &offered, const QByteArray &fresh)
{
    if (!scan(fresh))
        return;
    holdBackUnfinished(offered + m_pending + fresh);
}

void WebSocketGuard::holdBackUnfinished(const QByteArray &scanned)
{
    // The scanner's unfinished frame is the tail of what it has seen: it waits here until
    // the rest of it came; the whole frames before it go back to the socket.
    const qsizetype partial = qsizetype(m_scanner.partialBytes());
    m_pending = scanned.last(partial);
    putBack(m_socket, scanned.first(scanned.size() - partial));
    m_offered = scanned.size() - partial;
}

void WebSocketGuard::refuse(int closeCode, HttpServer::Limit limit, const char *why)
{
    count(limit);
    qCInfo(lcHttp) << "closing a WebSocket client that" << why << ":"
                   << m_socket->peerAddress().toString();
    m_done = true;
    m_pending.clear();
    m_socket->skip(m_socket->bytesAvailable()); // QWebSocket never sees the frame
    const char close[4] = {char(0x88), 0x02, char(closeCode >> 8), char(closeCode & 0xff)};
    m_socket->write(close, sizeof close);
    m_socket->disconnectFromHost();
}

} // namespace pw::http
