#pragma once

#include "apiservices.h"
#include "wsconfig.h"
#include "wsstats.h"

#include <QObject>

namespace pw::http { class HttpResponder; }
namespace pw::http { struct HttpRequest; }
namespace pw::logs { class LogFanouts; }
namespace pw::logs { class PodCatalog; }

namespace pw::server {

class Metrics;
class WsCatalogRoutes;
class WsEndpoint;
class WsStatusHub;

// The WebSocket API (docs/architecture.md §4) and the log viewer's choices (§3 /namespaces, /pods):
// handlers that validate each upgrade request before accepting it (400 JSON naming the
// parameter), the endpoints, the status hub, the shared log streams and the pod catalog.
// The route table (apiroutes.cpp) declares their rows; it answers a plain GET with 426 and
// a missing service with 503 before a handler runs.
class WsApi : public QObject
{
    Q_OBJECT
public:
    WsApi(const ApiServices &services, Metrics *metrics, QObject *parent = nullptr);
    ~WsApi() override;

    const WsConfig &config() const { return m_config; }
    const WsStats &stats() const { return m_stats; }
    logs::LogFanouts *logStreams() const { return m_logStreams; }
    WsStatusHub *statusHub() const { return m_hub; }
    logs::PodCatalog *podCatalog() const { return m_catalog; }
    // GET /namespaces and /pods; null without a cluster.
    WsCatalogRoutes *catalogRoutes() const { return m_catalogRoutes; }
    int openConnections() const;

    // The upgrade routes' handlers.
    void pullStatus(const http::HttpRequest &request, http::HttpResponder responder);
    void allStatus(const http::HttpRequest &request, http::HttpResponder responder);
    void podLogs(const http::HttpRequest &request, http::HttpResponder responder);
    void catalog(const http::HttpRequest &request, http::HttpResponder responder);

private:
    // Hands the upgrade to `endpoint`, or answers 400 with `error` when there is one.
    static void acceptUnless(const QString &error, WsEndpoint *endpoint,
                             const http::HttpRequest &request, http::HttpResponder &responder);
    void connectStatusEndpoints();
    void connectLogEndpoint();
    void connectCatalogEndpoint();
    void addMetrics(Metrics *metrics);

    ApiServices m_services;
    WsConfig m_config;
    WsStats m_stats;
    WsEndpoint *m_pullEndpoint;
    WsEndpoint *m_allEndpoint;
    WsEndpoint *m_logEndpoint;
    WsEndpoint *m_catalogEndpoint;
    WsStatusHub *m_hub = nullptr;
    logs::LogFanouts *m_logStreams = nullptr;
    logs::PodCatalog *m_catalog = nullptr;
    WsCatalogRoutes *m_catalogRoutes = nullptr;
    // Parent of every session; deleted first, since sessions use the hub, streams, catalog.
    QObject *m_sessions;
};

} // namespace pw::server
