#pragma once

#include "apiservices.h"
#include "wsconfig.h"
#include "wsstats.h"

#include <QObject>

class HttpRouter;
class HttpRequest;
class HttpResponder;
class Metrics;
class WsCatalogRoutes;
class WsEndpoint;
class LogFanouts;
class PodCatalog;
class WsStatusHub;

// The WebSocket API (docs/architecture.md §4) and the log viewer's choices (§3 /namespaces, /pods):
// routes that validate each upgrade request before accepting it (400 JSON naming the
// parameter), the endpoints, the status hub, the shared log streams and the pod catalog.
class WsApi : public QObject
{
    Q_OBJECT
public:
    WsApi(HttpRouter &router, const ApiServices &services, Metrics *metrics,
          QObject *parent = nullptr);
    ~WsApi() override;

    const WsConfig &config() const { return m_config; }
    const WsStats &stats() const { return m_stats; }
    LogFanouts *logStreams() const { return m_logStreams; }
    WsStatusHub *statusHub() const { return m_hub; }
    PodCatalog *podCatalog() const { return m_catalog; }
    int openConnections() const;

private:
    void addStatusRoutes(HttpRouter &router);
    void addLogRoutes(HttpRouter &router);
    void addCatalogRoute(HttpRouter &router);
    void addMetrics(Metrics *metrics);
    // Answers a plain GET with 426 and a missing service with 503; true when answered.
    static bool refuse(const HttpRequest &request, HttpResponder &responder, bool available,
                       const char *unavailable);

    ApiServices m_services;
    WsConfig m_config;
    WsStats m_stats;
    WsEndpoint *m_pullEndpoint;
    WsEndpoint *m_allEndpoint;
    WsEndpoint *m_logEndpoint;
    WsEndpoint *m_catalogEndpoint;
    WsStatusHub *m_hub = nullptr;
    LogFanouts *m_logStreams = nullptr;
    PodCatalog *m_catalog = nullptr;
    WsCatalogRoutes *m_catalogRoutes = nullptr;
    // Parent of every session; deleted first, since sessions use the hub, streams, catalog.
    QObject *m_sessions;
};
