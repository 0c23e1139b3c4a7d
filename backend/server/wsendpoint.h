#pragma once

#include "wsconfig.h"
#include "wskeepalive.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QVariant>

class QTcpSocket;
class QWebSocketServer;
namespace pw::http { class HttpRequest; }
namespace pw::http { class HttpResponder; }

namespace pw::server {

class WsConnection;
struct WsStats;

// One WebSocket path: completes the handshakes of the upgrade requests its route has
// validated and hands each new connection to its owner; keeps the pings and close deadlines
// of its connections (one WsKeepAlive, one timer) and counts them.
class WsEndpoint : public QObject
{
    Q_OBJECT
public:
    WsEndpoint(const QString &name, const WsConfig &config, WsStats *stats,
               QObject *parent = nullptr);
    ~WsEndpoint() override;

    QString name() const { return m_name; }
    // Hands the request's connection to the WebSocket server (after validation), keeping what
    // the route made of the request (`context`, a parsed query, or none) for the session:
    // connected() gives it back, so nothing is parsed twice.
    bool accept(http::HttpResponder &responder, const http::HttpRequest &request,
                const QVariant &context = QVariant());
    // Connections accepted and not yet deleted.
    int openConnections() const { return m_keepAlive.count(); }
    quint64 totalConnections() const { return m_total; }

Q_SIGNALS:
    // A new connection, with the context its request was accepted with (null when none); the
    // receiver takes ownership (parent it to a session) and deletes it before this endpoint
    // is deleted.
    void connected(WsConnection *connection, const QVariant &context);

private:
    void onNewConnection();
    void dropExpiredPending();

    // An accepted request waits for its handshake, found by the client's address and port
    // (one TCP connection), at most the handshake timeout: a client that never completes it
    // leaves nothing behind. `socket` is the connection's plain socket, null until handed
    // over (never dereferenced here: a later connection from the same port replaces the
    // entry before its own handshake completes).
    struct Pending
    {
        QVariant context;
        QTcpSocket *socket = nullptr;
        qint64 expiresMs = 0;
    };

    QString m_name;
    WsKeepAlive m_keepAlive;
    QWebSocketServer *m_server;
    quint64 m_total = 0;
    QHash<QString, Pending> m_pending;
    QElapsedTimer m_clock;
};

} // namespace pw::server
