#pragma once

#include "wsconfig.h"
#include "wsprotocol.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <QWebSocketProtocol>

class QTcpSocket;
class QWebSocket;

namespace pw::server {

class WsKeepAlive;
struct WsStats;

// What a session handles for its connection, called directly: an interface instead of signal
// connections, which cost memory on every one of thousands of idle connections
// (bench/FINDINGS.md §4). The signals of WsConnection are emitted as well.
class WsConnectionHandler
{
public:
    virtual ~WsConnectionHandler() = default;
    // A text message within maxMessageBytes.
    virtual void connectionMessage(const QString &message) = 0;
    // The socket is gone; called once.
    virtual void connectionClosed() = 0;
};

// One accepted WebSocket: keep-alive (ping every pingIntervalMs, closed after pongTimeoutMs
// without a pong; the deadlines are kept by the endpoint's WsKeepAlive), client messages
// capped (maxMessageBytes answered with an error, hardIncomingBytes refused by QWebSocket),
// repeated abuse closed with 1008, and a bounded send queue measured with
// QWebSocket::bytesToWrite(). Owns its socket; reports closed() once when the socket is gone.
// Its owner (a session) deletes it, before the WsKeepAlive is deleted.
class WsConnection : public QObject
{
    Q_OBJECT
public:
    // `tcp`: the socket under `socket` when known (messages then go to the kernel without
    // being copied into its write buffer, DirectWrite), else null.
    WsConnection(QWebSocket *socket, WsKeepAlive *keepAlive, QTcpSocket *tcp = nullptr,
                 QObject *parent = nullptr);
    ~WsConnection() override;

    QUrl requestUrl() const;
    QHostAddress peerAddress() const;
    quint16 peerPort() const;
    // The protocol version the client asked for (WsProtocol::of), fixed at the handshake.
    WsVersion version() const { return m_version; }
    bool isV1() const { return m_version == WsVersion::V1; }
    WsStats *stats() const;
    bool isOpen() const { return m_open; }
    qint64 queuedBytes() const;
    // The send queue's limit (WsConfig::maxQueueBytes): a message that would go beyond it
    // closes the connection (1013), so large answers are sent in parts within it.
    qint64 maxQueueBytes() const;
    // Whether the send queue is over the soft limit (log frames are skipped).
    bool isBehind() const;
    // Receives messageReceived() and closed() as calls (not owned; null: none).
    void setHandler(WsConnectionHandler *handler) { m_handler = handler; }

    // A message that must arrive (status, error, stream state, gap). A client whose queue
    // cannot take it is closed with 1013. Returns whether it was sent.
    bool send(const QString &message);
    // A log frame: skipped while the client is behind (the caller reports the lines as a
    // gap later). A client behind for longer than stallCloseMs is closed with 1013.
    bool sendSkippable(const QString &message);
    // Answers a bad client message with an error; closes with 1008 after abuseLimit of them.
    // A v1 client has no error message: it is closed with 1008 and the error as the reason.
    void reject(const QString &error);
    // Sends a close frame; the socket is aborted if the client does not answer it soon.
    void close(QWebSocketProtocol::CloseCode code, const QString &reason);

Q_SIGNALS:
    // A text message within maxMessageBytes.
    void messageReceived(const QString &message);
    void closed();
    // The send queue went back under the soft limit after log frames were skipped.
    void drained();

private:
    friend class WsKeepAlive;

    const WsConfig &config() const;
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    void onPong();
    void onBytesWritten();
    void onDisconnected();
    // From WsKeepAlive: the next ping is due (pong and stall checks first).
    void pingDue();
    // From WsKeepAlive: the close grace is over.
    void closeDeadline();
    bool fits(qint64 bytes) const;
    void closeSlow(const QString &why);
    void noteSent(qint64 bytes);
    void noteSkipped();
    // One text message: straight to the kernel when nothing is queued, else through QWebSocket.
    void write(const QString &message);

    QWebSocket *m_socket;
    // Not owned; used only while m_open (it deletes itself after its disconnected(), which
    // clears m_open first).
    QTcpSocket *m_tcp;
    WsKeepAlive *m_keepAlive;
    WsConnectionHandler *m_handler = nullptr;
    // WsKeepAlive's queue links and deadline.
    WsConnection *m_prev = nullptr;
    WsConnection *m_next = nullptr;
    qint64 m_dueMs = 0;
    qint64 m_aliveMs;             // the last pong (or message), on the keep-alive's clock
    qint64 m_behindSinceMs = -1;  // -1: not behind
    int m_abuse = 0;
    WsVersion m_version;
    quint8 m_queue = 0;           // WsKeepAlive's queue
    bool m_open = true;
    bool m_skipped = false; // frames were skipped since the queue was last under the limit
};

} // namespace pw::server
