#pragma once

#include "wsconfig.h"

#include <QObject>
#include <QString>

class HttpResponder;
class QWebSocketServer;
class WsConnection;
struct WsStats;

// One WebSocket path: completes the handshakes of the upgrade requests its route has
// validated and hands each new connection to its owner; counts open connections.
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
    int openConnections() const { return m_open; }
    quint64 totalConnections() const { return m_total; }

Q_SIGNALS:
    // A new connection; the receiver takes ownership (parent it to a session).
    void connected(WsConnection *connection);

private:
    void onNewConnection();

    QString m_name;
    WsConfig m_config;
    WsStats *m_stats;
    QWebSocketServer *m_server;
    int m_open = 0;
    quint64 m_total = 0;
};
