#pragma once

#include "apiservices.h"
#include "wsconfig.h"
#include "wsstats.h"

#include <QObject>

class HttpResponder;
struct HttpRequest;
class Metrics;
class WsCatalogRoutes;
class WsEndpoint;
class LogFanouts;
class PodCatalog;
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
    LogFanouts *logStreams() const { return m_logStreams; }
    WsStatusHub *statusHub() const { return m_hub; }
    PodCatalog *podCatalog() const { return m_catalog; }
    // GET /namespaces and /pods; null without a cluster.
    WsCatalogRoutes *catalogRoutes() const { return m_catalogRoutes; }
    int openConnections() const;

    // The upgrade routes' handlers.
    void pullStatus(const HttpRequest &request, HttpResponder responder);
    void allStatus(const HttpRequest &request, HttpResponder responder);
    void podLogs(const HttpRequest &request, HttpResponder responder);
    void catalog(const HttpRequest &request, HttpResponder responder);

private:
    // Hands the upgrade to `endpoint`, or answers 400 with `error` when there is one.
    static void acceptUnless(const QString &error, WsEndpoint *endpoint,
                             const HttpRequest &request, HttpResponder &responder);
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
    LogFanouts *m_logStreams = nullptr;
    PodCatalog *m_catalog = nullptr;
    WsCatalogRoutes *m_catalogRoutes = nullptr;
    // Parent of every session; deleted first, since sessions use the hub, streams, catalog.
    QObject *m_sessions;
};
