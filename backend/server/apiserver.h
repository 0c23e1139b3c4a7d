#pragma once

#include "apiservices.h"
#include "routetable.h"
#include "serverconfig.h"

#include "http/httpserver.h"

#include <QObject>

namespace pw::server {

class AuthGate;
class Metrics;
class PullRoutes;
class WsApi;

// The Pullwatch HTTP API (docs/architecture.md §3) on one port: routes, error envelope, TLS.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(ServerConfig config, ApiServices services = {}, QObject *parent = nullptr);
    ~ApiServer() override;

    // Binds the port; on failure `error` says what went wrong and the server is not started.
    bool start(QString *error);
    // Closes the listener and every connection.
    void stop();

    QHostAddress address() const { return m_http.serverAddress(); }
    quint16 port() const { return m_http.serverPort(); }
    // http(s)://ADDR:PORT with the real bound port.
    QString baseUrl() const;
    http::HttpServer &http() { return m_http; }
    Metrics *metrics() const { return m_metrics; }
    AuthGate *auth() const { return m_auth; }
    WsApi *ws() const { return m_ws; }
    // Every route this server has (apiroutes.cpp).
    const RouteTable &routes() const { return m_routes; }

    // The handlers of the server's own rows: liveness, readiness, metrics, version.
    void health(const http::HttpRequest &request, http::HttpResponder responder) const;
    void readiness(const http::HttpRequest &request, http::HttpResponder responder) const;
    void prometheus(const http::HttpRequest &request, http::HttpResponder responder) const;
    void version(const http::HttpRequest &request, http::HttpResponder responder) const;

private:
    ServerConfig m_config;
    ApiServices m_services;
    http::HttpServer m_http;
    Metrics *m_metrics;
    PullRoutes *m_pullRoutes = nullptr;
    AuthGate *m_auth = nullptr;
    WsApi *m_ws = nullptr;
    RouteTable m_routes;
};

} // namespace pw::server
