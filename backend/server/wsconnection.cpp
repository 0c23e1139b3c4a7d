#include "wsconnection.h"

#include "serverlog.h"
#include "wsjson.h"
#include "wskeepalive.h"
#include "wsstats.h"

#include "http/directwrite.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <limits>

namespace pw::server {

namespace {
// Framing overhead counted with a message: header, length, and slack.
constexpr qint64 kFrameOverhead = 16;
constexpr int kCloseGraceMs = 2000;
constexpr int kCloseTryAgainLater = 1013;
// RFC 6455 §5.5: a control frame's payload is at most 125 bytes; 2 of them are the code.
constexpr qsizetype kMaxCloseReasonBytes = 123;

// `reason` cut to what fits a close frame, at a character boundary (RFC 6455 §5.5.1: the
// reason is UTF-8; a cut inside a character would make the client fail the connection).
QString closeReason(const QString &reason)
{
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() <= kMaxCloseReasonBytes)
        return reason;
    qsizetype end = kMaxCloseReasonBytes;
    while (end > 0 && (quint8(utf8[end]) & 0xc0) == 0x80) // a continuation byte
        --end;
    utf8.truncate(end);
    return QString::fromUtf8(utf8);
}

// RFC 6455 §5.2: the head of an unmasked, final text frame (a server's) of `length` bytes.
// Messages of 64 KB and more are left to QWebSocket, which splits very large ones.
QByteArray textFrameHead(qsizetype length)
{
    QByteArray head(1, char(0x81));
    if (length < 126) {
        head += char(length);
    } else {
        head += char(126);
        head += char((length >> 8) & 0xff);
        head += char(length & 0xff);
    }
    return head;
}
constexpr qsizetype kMaxDirectMessageBytes = std::numeric_limits<quint16>::max();
} // namespace

WsConnection::WsConnection(QWebSocket *socket, WsKeepAlive *keepAlive, QTcpSocket *tcp,
                           QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_tcp(tcp)
    , m_keepAlive(keepAlive)
    , m_aliveMs(keepAlive->nowMs())
    , m_version(WsProtocol::of(*socket))
{
    m_socket->setParent(this);
    if (isV1())
        ++stats()->v1Connections;
    else
        ++stats()->v2Connections;
    // RFC 6455 §10.4: an endpoint must limit what a peer can make it buffer. Within
    // hardIncomingBytes a message is read and, over maxMessageBytes, answered with an
    // error; beyond it QWebSocket closes with 1009.
    m_socket->setMaxAllowedIncomingFrameSize(quint64(config().hardIncomingBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(config().hardIncomingBytes));
    // Each message in one frame: QWebSocket would cut one over 512 KB into frames at any byte,
    // and a Qt 6.4 client (the window's) closes with 1007 when a character straddles a cut.
    // A message is bounded by maxQueueBytes anyway.
    m_socket->setOutgoingFrameSize(QWebSocket::maxOutgoingFrameSize());
    // Four connections per socket and no timer of its own: every one of them costs memory
    // on each idle WebSocket (bench/FINDINGS.md §4). bytesWritten is connected only while
    // frames are being skipped (noteSkipped()); pings and deadlines are the WsKeepAlive's.
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WsConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &WsConnection::onBinary);
    connect(m_socket, &QWebSocket::pong, this, &WsConnection::onPong);
    connect(m_socket, &QWebSocket::disconnected, this, &WsConnection::onDisconnected);
    m_keepAlive->add(this);
}

WsConnection::~WsConnection()
{
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    m_keepAlive->remove(this);
}

const WsConfig &WsConnection::config() const
{
    return m_keepAlive->config();
}

QUrl WsConnection::requestUrl() const
{
    return m_socket->requestUrl();
}

QHostAddress WsConnection::peerAddress() const
{
    return m_socket->peerAddress();
}

quint16 WsConnection::peerPort() const
{
    return m_socket->peerPort();
}

WsStats *WsConnection::stats() const
{
    return m_keepAlive->stats();
}

qint64 WsConnection::queuedBytes() const
{
    return m_socket->bytesToWrite();
}

bool WsConnection::isBehind() const
{
    return queuedBytes() > config().softQueueBytes;
}

qint64 WsConnection::maxQueueBytes() const
{
    return config().maxQueueBytes;
}

bool WsConnection::fits(qint64 bytes) const
{
    return queuedBytes() + bytes + kFrameOverhead <= config().maxQueueBytes;
}

void WsConnection::noteSent(qint64 bytes)
{
    WsStats *s = stats();
    ++s->messagesSent;
    s->bytesSent += quint64(bytes);
    s->peakQueuedBytes = qMax(s->peakQueuedBytes, queuedBytes());
}

void WsConnection::closeSlow(const QString &why)
{
    // docs/architecture.md §4: a client that cannot keep up never grows the server's memory; 1013
    // (Try Again Later) tells it to reconnect, possibly with resume=.
    ++stats()->slowCloses;
    qCInfo(lcServer).noquote() << "closing slow WebSocket client" << requestUrl().path() << why;
    // 1013 is registered after RFC 6455 (IANA WebSocket Close Code Number Registry) and has
    // no enumerator in Qt 6.4; browsers accept it, Qt 6.4 clients report a protocol error.
    close(QWebSocketProtocol::CloseCode(kCloseTryAgainLater), why);
}

bool WsConnection::send(const QString &message)
{
    if (!m_open)
        return false;
    // The UTF-16 length is at most the UTF-8 size for the ASCII these messages are; the
    // soft/hard margin absorbs the rest.
    const qint64 bytes = message.size();
    if (!fits(bytes)) {
        closeSlow(QStringLiteral("send queue full"));
        return false;
    }
    write(message);
    noteSent(bytes);
    return true;
}

void WsConnection::write(const QString &message)
{
    // isValid(): the socket under it is alive and connected (QWebSocket forgets it when it is
    // destroyed), whatever the order in which the two told us.
    if (m_tcp && m_socket->isValid() && message.size() < kMaxDirectMessageBytes) {
        const QByteArray utf8 = message.toUtf8();
        if (utf8.size() < kMaxDirectMessageBytes
            && http::DirectWrite::send(m_tcp, textFrameHead(utf8.size()), utf8))
            return;
    }
    m_socket->sendTextMessage(message);
    // QAbstractSocket writes one buffer block per write notification, i.e. per event-loop
    // pass; a pass that also reads megabytes upstream then caps a viewer at ~32 KB per pass
    // (bench/RESULTS.md, finding 1). Hand the frame to the kernel now.
    m_socket->flush();
}

void WsConnection::noteSkipped()
{
    ++stats()->framesSkipped;
    if (!m_skipped) {
        m_skipped = true;
        // Until the queue is back under the soft limit: see onBytesWritten().
        connect(m_socket, &QWebSocket::bytesWritten, this, &WsConnection::onBytesWritten);
    }
}

bool WsConnection::sendSkippable(const QString &message)
{
    if (!m_open)
        return false;
    const qint64 bytes = message.size();
    if (isBehind() || !fits(bytes)) {
        noteSkipped();
        const qint64 now = m_keepAlive->nowMs();
        if (m_behindSinceMs < 0)
            m_behindSinceMs = now;
        else if (now - m_behindSinceMs > config().stallCloseMs)
            closeSlow(QStringLiteral("behind for more than %1 ms").arg(config().stallCloseMs));
        return false;
    }
    m_behindSinceMs = -1;
    write(message);
    noteSent(bytes);
    return true;
}

void WsConnection::onBytesWritten()
{
    // bytesWritten can be emitted from inside sendTextMessage() (QAbstractSocket::flush());
    // drained() is queued so a receiver never sends while one of its own sends is running.
    if (m_skipped && m_open && !isBehind()) {
        m_skipped = false;
        disconnect(m_socket, &QWebSocket::bytesWritten, this, &WsConnection::onBytesWritten);
        QMetaObject::invokeMethod(this, &WsConnection::drained, Qt::QueuedConnection);
    }
}

void WsConnection::reject(const QString &error)
{
    if (!m_open)
        return;
    ++stats()->rejectedMessages;
    if (isV1()) {
        // docs/api.md: a v1 client reads every message as data (a status, a log line); it
        // gets no error message, only the close with the reason.
        close(QWebSocketProtocol::CloseCodePolicyViolated, error);
        return;
    }
    send(WsJson::error(error));
    if (++m_abuse >= config().abuseLimit) {
        ++stats()->abuseCloses;
        close(QWebSocketProtocol::CloseCodePolicyViolated,
              QStringLiteral("too many invalid messages"));
    }
}

void WsConnection::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (!m_open)
        return;
    m_open = false;
    // Out of the ping queue and into the close queue before the close frame goes out: a
    // socket that disconnects at once leaves both queues in onDisconnected().
    m_keepAlive->scheduleClose(this, m_keepAlive->nowMs() + kCloseGraceMs);
    m_socket->close(code, closeReason(reason));
}

void WsConnection::closeDeadline()
{
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
}

void WsConnection::onText(const QString &message)
{
    m_aliveMs = m_keepAlive->nowMs();
    if (!m_open)
        return;
    const qsizetype bytes = message.toUtf8().size();
    if (bytes > config().maxMessageBytes) {
        reject(QStringLiteral("message too large: %1 bytes; at most %2 bytes are allowed")
                   .arg(bytes)
                   .arg(config().maxMessageBytes));
        return;
    }
    if (m_handler)
        m_handler->connectionMessage(message);
    Q_EMIT messageReceived(message);
}

void WsConnection::onBinary(const QByteArray &)
{
    m_aliveMs = m_keepAlive->nowMs();
    reject(QStringLiteral("binary messages are not accepted; send JSON text messages"));
}

void WsConnection::onPong()
{
    m_aliveMs = m_keepAlive->nowMs();
}

void WsConnection::pingDue()
{
    const qint64 now = m_keepAlive->nowMs();
    if (now - m_aliveMs > config().pongTimeoutMs) {
        ++stats()->pongTimeouts;
        qCInfo(lcServer).noquote() << "closing WebSocket client without pong"
                                   << requestUrl().path();
        close(QWebSocketProtocol::CloseCodeGoingAway,
              QStringLiteral("no pong for %1 ms").arg(config().pongTimeoutMs));
        m_socket->abort();
        return;
    }
    if (m_behindSinceMs >= 0 && isBehind() && now - m_behindSinceMs > config().stallCloseMs) {
        closeSlow(QStringLiteral("behind for more than %1 ms").arg(config().stallCloseMs));
        return;
    }
    m_socket->ping();
}

void WsConnection::onDisconnected()
{
    m_open = false;
    m_keepAlive->unschedule(this);
    if (m_handler)
        m_handler->connectionClosed();
    Q_EMIT closed();
}

} // namespace pw::server
