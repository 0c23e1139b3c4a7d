#pragma once

#include "wsconfig.h"
#include "wskeepalive.h"

#include <QObject>
#include <QString>

class HttpResponder;
class QWebSocketServer;
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
    // Hands the request's connection to the WebSocket server (after validation).
    bool accept(HttpResponder &responder);
    // Connections accepted and not yet deleted.
    int openConnections() const { return m_keepAlive.count(); }
    quint64 totalConnections() const { return m_total; }

Q_SIGNALS:
    // A new connection; the receiver takes ownership (parent it to a session) and deletes it
    // before this endpoint is deleted.
    void connected(WsConnection *connection);

private:
    void onNewConnection();

    QString m_name;
    WsKeepAlive m_keepAlive;
    QWebSocketServer *m_server;
    quint64 m_total = 0;
};
