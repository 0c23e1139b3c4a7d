#include "wsconnection.h"

#include "serverlog.h"
#include "wsjson.h"
#include "wsstats.h"

#include <QWebSocket>

namespace {
// Framing overhead counted with a message: header, length, and slack.
constexpr qint64 kFrameOverhead = 16;
constexpr int kCloseGraceMs = 2000;
constexpr int kCloseTryAgainLater = 1013;
} // namespace

WsConnection::WsConnection(QWebSocket *socket, const WsConfig &config, WsStats *stats,
                           QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_config(config)
    , m_stats(stats)
{
    m_socket->setParent(this);
    // RFC 6455 §10.4: an endpoint must limit what a peer can make it buffer. Within
    // hardIncomingBytes a message is read and, over maxMessageBytes, answered with an
    // error; beyond it QWebSocket closes with 1009.
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_config.hardIncomingBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_config.hardIncomingBytes));
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WsConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &WsConnection::onBinary);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_sinceAlive.start(); });
    connect(m_socket, &QWebSocket::disconnected, this, &WsConnection::onDisconnected);
    // bytesWritten can be emitted from inside sendTextMessage() (QAbstractSocket::flush());
    // drained() is queued so a receiver never sends while one of its own sends is running.
    connect(m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_skipped && m_open && !isBehind()) {
            m_skipped = false;
            QMetaObject::invokeMethod(this, &WsConnection::drained, Qt::QueuedConnection);
        }
    });
    m_sinceAlive.start();
    m_pingTimer.setInterval(m_config.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &WsConnection::onPingTimer);
    m_pingTimer.start();
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

WsConnection::~WsConnection()
{
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

QUrl WsConnection::requestUrl() const
{
    return m_socket->requestUrl();
}

qint64 WsConnection::queuedBytes() const
{
    return m_socket->bytesToWrite();
}

bool WsConnection::isBehind() const
{
    return queuedBytes() > m_config.softQueueBytes;
}

bool WsConnection::fits(qint64 bytes) const
{
    return queuedBytes() + bytes + kFrameOverhead <= m_config.maxQueueBytes;
}

void WsConnection::noteSent(qint64 bytes)
{
    ++m_stats->messagesSent;
    m_stats->bytesSent += quint64(bytes);
    m_stats->peakQueuedBytes = qMax(m_stats->peakQueuedBytes, queuedBytes());
}

void WsConnection::closeSlow(const QString &why)
{
    // DESIGN.md §4: a client that cannot keep up never grows the server's memory; 1013
    // (Try Again Later) tells it to reconnect, possibly with resume=.
    ++m_stats->slowCloses;
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
    m_socket->sendTextMessage(message);
    // QAbstractSocket writes one buffer block per write notification, i.e. per event-loop
    // pass; a pass that also reads megabytes upstream then caps a viewer at ~32 KB per pass
    // (bench/RESULTS.md, finding 1). Hand the frame to the kernel now.
    m_socket->flush();
    noteSent(bytes);
    return true;
}

bool WsConnection::sendSkippable(const QString &message)
{
    if (!m_open)
        return false;
    const qint64 bytes = message.size();
    if (isBehind() || !fits(bytes)) {
        ++m_stats->framesSkipped;
        m_skipped = true;
        if (!m_behindSince.isValid())
            m_behindSince.start();
        else if (m_behindSince.elapsed() > m_config.stallCloseMs)
            closeSlow(QStringLiteral("behind for more than %1 ms").arg(m_config.stallCloseMs));
        return false;
    }
    m_behindSince.invalidate();
    m_socket->sendTextMessage(message);
    // QAbstractSocket writes one buffer block per write notification, i.e. per event-loop
    // pass; a pass that also reads megabytes upstream then caps a viewer at ~32 KB per pass
    // (bench/RESULTS.md, finding 1). Hand the frame to the kernel now.
    m_socket->flush();
    noteSent(bytes);
    return true;
}

void WsConnection::reject(const QString &error)
{
    if (!m_open)
        return;
    ++m_stats->rejectedMessages;
    send(WsJson::error(error));
    if (++m_abuse >= m_config.abuseLimit) {
        ++m_stats->abuseCloses;
        close(QWebSocketProtocol::CloseCodePolicyViolated,
              QStringLiteral("too many invalid messages"));
    }
}

void WsConnection::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (!m_open)
        return;
    m_open = false;
    m_pingTimer.stop();
    // RFC 6455 §5.5.1: the close reason is at most 123 bytes.
    m_socket->close(code, reason.left(120));
    m_closeTimer.start(kCloseGraceMs);
}

void WsConnection::onText(const QString &message)
{
    m_sinceAlive.start();
    if (!m_open)
        return;
    const qsizetype bytes = message.toUtf8().size();
    if (bytes > m_config.maxMessageBytes) {
        reject(QStringLiteral("message too large: %1 bytes; at most %2 bytes are allowed")
                   .arg(bytes)
                   .arg(m_config.maxMessageBytes));
        return;
    }
    Q_EMIT messageReceived(message);
}

void WsConnection::onBinary(const QByteArray &)
{
    m_sinceAlive.start();
    reject(QStringLiteral("binary messages are not accepted; send JSON text messages"));
}

void WsConnection::onPingTimer()
{
    if (m_sinceAlive.elapsed() > m_config.pongTimeoutMs) {
        ++m_stats->pongTimeouts;
        qCInfo(lcServer).noquote() << "closing WebSocket client without pong"
                                   << requestUrl().path();
        close(QWebSocketProtocol::CloseCodeGoingAway,
              QStringLiteral("no pong for %1 ms").arg(m_config.pongTimeoutMs));
        m_socket->abort();
        return;
    }
    if (m_behindSince.isValid() && isBehind()
        && m_behindSince.elapsed() > m_config.stallCloseMs) {
        closeSlow(QStringLiteral("behind for more than %1 ms").arg(m_config.stallCloseMs));
        return;
    }
    m_socket->ping();
}

void WsConnection::onDisconnected()
{
    m_open = false;
    m_pingTimer.stop();
    m_closeTimer.stop();
    Q_EMIT closed();
}
