#pragma once

#include "wsconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocketProtocol>

class QWebSocket;
struct WsStats;

// One accepted WebSocket: keep-alive (ping every pingIntervalMs, closed after pongTimeoutMs
// without a pong), client messages capped (maxMessageBytes answered with an error,
// hardIncomingBytes refused by QWebSocket), repeated abuse closed with 1008, and a bounded
// send queue measured with QWebSocket::bytesToWrite(). Owns its socket; emits closed() once
// when the socket is gone. Its owner (a session) deletes it.
class WsConnection : public QObject
{
    Q_OBJECT
public:
    WsConnection(QWebSocket *socket, const WsConfig &config, WsStats *stats,
                 QObject *parent = nullptr);
    ~WsConnection() override;

    QUrl requestUrl() const;
    WsStats *stats() const { return m_stats; }
    bool isOpen() const { return m_open; }
    qint64 queuedBytes() const;
    // Whether the send queue is over the soft limit (log frames are skipped).
    bool isBehind() const;

    // A message that must arrive (status, error, stream state, gap). A client whose queue
    // cannot take it is closed with 1013. Returns whether it was sent.
    bool send(const QString &message);
    // A log frame: skipped while the client is behind (the caller reports the lines as a
    // gap later). A client behind for longer than stallCloseMs is closed with 1013.
    bool sendSkippable(const QString &message);
    // Answers a bad client message with an error; closes with 1008 after abuseLimit of them.
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
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    void onPingTimer();
    void onDisconnected();
    bool fits(qint64 bytes) const;
    void closeSlow(const QString &why);
    void noteSent(qint64 bytes);

    QWebSocket *m_socket;
    WsConfig m_config;
    WsStats *m_stats;
    QTimer m_pingTimer;
    QTimer m_closeTimer;
    QElapsedTimer m_sinceAlive; // since the last pong (or message)
    QElapsedTimer m_behindSince;
    int m_abuse = 0;
    bool m_open = true;
    bool m_skipped = false; // frames were skipped since the queue was last under the limit
};
