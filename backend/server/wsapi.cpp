#include "wsapi.h"

#include "apierror.h"
#include "metrics.h"
#include "wscatalogroutes.h"
#include "wscatalogsession.h"
#include "wsconnection.h"
#include "wsendpoint.h"
#include "wsjson.h"
#include "wslogsession.h"
#include "wsmergedlogsession.h"
#include "wsprotocol.h"
#include "wspullsubscriptions.h"
#include "wspullwatch.h"
#include "wsstatushub.h"

#include "core/dnsname.h"
#include "http/httprequest.h"
#include "http/httpresponder.h"
#include "kube/kubeclient.h"
#include "logs/logfanouts.h"
#include "logs/logquery.h"
#include "logs/podcatalog.h"
#include "pulls/pullservice.h"

#include <QUrlQuery>

namespace pw::server {

namespace {

QString jobIdFromPath(const QUrl &url)
{
    return url.path(QUrl::FullyDecoded).section(u'/', 3, 3);
}

} // namespace

WsApi::WsApi(const ApiServices &services, Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_config(services.ws)
    , m_pullEndpoint(new WsEndpoint(QStringLiteral("image-pull"), m_config, &m_stats, this))
    , m_allEndpoint(new WsEndpoint(QStringLiteral("image-pull-all"), m_config, &m_stats, this))
    , m_logEndpoint(new WsEndpoint(QStringLiteral("pod-logs"), m_config, &m_stats, this))
    , m_catalogEndpoint(new WsEndpoint(QStringLiteral("catalog"), m_config, &m_stats, this))
    , m_sessions(new QObject(this))
{
    if (m_services.pulls)
        m_hub = new WsStatusHub(m_services.pulls->tracker(), this);
    if (m_services.kube) {
        m_logStreams = new logs::LogFanouts(m_services.kube, m_config, this);
        m_catalog = new logs::PodCatalog(m_services.kube, m_config, this);
        m_catalogRoutes = new WsCatalogRoutes(m_catalog, m_config, this);
    }
    connectStatusEndpoints();
    connectLogEndpoint();
    connectCatalogEndpoint();
    addMetrics(metrics);
}

WsApi::~WsApi()
{
    delete m_sessions;
}

int WsApi::openConnections() const
{
    return m_pullEndpoint->openConnections() + m_allEndpoint->openConnections()
        + m_logEndpoint->openConnections() + m_catalogEndpoint->openConnections();
}

void WsApi::acceptUnless(const QString &error, WsEndpoint *endpoint,
                         const http::HttpRequest &request,
                         http::HttpResponder &responder)
{
    if (error.isEmpty())
        endpoint->accept(responder, request);
    else
        responder.send(ApiError::badRequest(error).toResponse());
}

void WsApi::pullStatus(const http::HttpRequest &request, http::HttpResponder responder)
{
    QString error = core::DnsName::subdomainError(request.pathParam(QStringLiteral("job_id")),
                                                  u"job_id");
    if (error.isEmpty())
        error = WsProtocol::queryError(request.queryItems());
    acceptUnless(error, m_pullEndpoint, request, responder);
}

void WsApi::allStatus(const http::HttpRequest &request, http::HttpResponder responder)
{
    const QString error = WsProtocol::queryError(request.queryItems());
    acceptUnless(error, m_allEndpoint, request, responder);
}

void WsApi::connectStatusEndpoints()
{
    connect(m_pullEndpoint, &WsEndpoint::connected, this, [this](WsConnection *connection) {
        auto *watch = new WsPullWatch(connection, m_hub, jobIdFromPath(connection->requestUrl()),
                                      m_sessions);
        watch->start();
    });
    connect(m_allEndpoint, &WsEndpoint::connected, this, [this](WsConnection *connection) {
        new WsPullSubscriptions(connection, m_hub, m_config.maxSubscriptions, m_sessions);
    });
}

void WsApi::podLogs(const http::HttpRequest &request, http::HttpResponder responder)
{
    // Parsed and validated once, here; the session receives it with the upgrade.
    const auto query = logs::LogQuery::parse(request.queryItems(),
                                             m_services.kube->defaultNamespace());
    if (!query.ok()) {
        responder.send(ApiError::badRequest(query.error()).toResponse());
        return;
    }
    m_logEndpoint->accept(responder, request, QVariant::fromValue(query.value()));
}

void WsApi::connectLogEndpoint()
{
    connect(m_logEndpoint, &WsEndpoint::connected, this,
            [this](WsConnection *connection, const QVariant &context) {
                // `context`: the query as the route parsed and validated it before the upgrade.
                if (!context.canConvert<logs::LogQuery>()) {
                    // Owned by a session so that it is deleted once closed.
                    new WsLogSession(connection, logs::LogQuery{}, m_logStreams, m_catalog,
                                     m_config, m_sessions);
                    const QString error =
                        QStringLiteral("the log query of this connection was lost "
                                       "during the handshake; connect again");
                    connection->send(WsJson::error(error));
                    connection->close(QWebSocketProtocol::CloseCodeBadOperation, error);
                    return;
                }
                const logs::LogQuery query = context.value<logs::LogQuery>();
                if (query.merged()) {
                    auto *merged = new WsMergedLogSession(connection, query, m_logStreams,
                                                          m_catalog, m_config, m_sessions);
                    merged->start();
                    return;
                }
                auto *session = new WsLogSession(connection, query, m_logStreams, m_catalog,
                                                 m_config, m_sessions);
                session->start();
            });
}

void WsApi::catalog(const http::HttpRequest &request, http::HttpResponder responder)
{
    QString error;
    for (const auto &item : request.queryItems())
        if (error.isEmpty() && item.first != QLatin1String("namespace")
            && item.first != QLatin1String("v"))
            error = QStringLiteral("unknown parameter '%1'; allowed: namespace, v")
                        .arg(item.first.left(40));
    if (error.isEmpty() && request.hasQueryItem(u"namespace"))
        error = core::DnsName::labelError(request.queryValue(u"namespace"), u"namespace");
    if (error.isEmpty())
        error = WsProtocol::queryError(request.queryItems());
    acceptUnless(error, m_catalogEndpoint, request, responder);
}

void WsApi::connectCatalogEndpoint()
{
    connect(m_catalogEndpoint, &WsEndpoint::connected, this, [this](WsConnection *connection) {
        // Validated before the upgrade.
        const QUrlQuery query(connection->requestUrl());
        const QString ns = query.hasQueryItem(QStringLiteral("namespace"))
            ? query.queryItemValue(QStringLiteral("namespace"), QUrl::FullyDecoded)
            : m_services.kube->defaultNamespace();
        auto *session = new WsCatalogSession(connection, ns, m_catalog, m_sessions);
        session->start();
    });
}

void WsApi::addMetrics(Metrics *metrics)
{
    metrics->addSection([this](QByteArray &out) {
        Metrics::help(out, "pullwatch_ws_connections", "gauge", "Open WebSocket connections, by endpoint.");
        for (const WsEndpoint *e : {m_pullEndpoint, m_allEndpoint, m_logEndpoint, m_catalogEndpoint})
            out += "pullwatch_ws_connections{endpoint=" + Metrics::label(e->name()) + "} "
                + QByteArray::number(e->openConnections()) + '\n';
        Metrics::help(out, "pullwatch_ws_connections_total", "counter", "WebSocket connections accepted, by endpoint.");
        for (const WsEndpoint *e : {m_pullEndpoint, m_allEndpoint, m_logEndpoint, m_catalogEndpoint})
            out += "pullwatch_ws_connections_total{endpoint=" + Metrics::label(e->name()) + "} "
                + QByteArray::number(e->totalConnections()) + '\n';
        const auto counter = [&out](const char *name, const char *type, const char *text, qint64 value) {
            Metrics::help(out, name, type, text);
            out += name;
            out += ' ' + QByteArray::number(value) + '\n';
        };
        counter("pullwatch_ws_messages_sent_total", "counter", "WebSocket messages sent.", qint64(m_stats.messagesSent));
        counter("pullwatch_ws_sent_bytes_total", "counter", "Bytes of WebSocket messages sent.", qint64(m_stats.bytesSent));
        counter("pullwatch_ws_log_frames_skipped_total", "counter", "Log frames not sent to a client that was behind.", qint64(m_stats.framesSkipped));
        counter("pullwatch_ws_gaps_total", "counter", "Gap messages sent.", qint64(m_stats.gapsSent));
        counter("pullwatch_ws_slow_closes_total", "counter", "Connections closed with 1013 for not keeping up.", qint64(m_stats.slowCloses));
        counter("pullwatch_ws_pong_timeouts_total", "counter", "Connections closed for a missing pong.", qint64(m_stats.pongTimeouts));
        counter("pullwatch_ws_rejected_messages_total", "counter", "Client messages refused (v2: an error message; v1: close 1008).", qint64(m_stats.rejectedMessages));
        counter("pullwatch_ws_abuse_closes_total", "counter", "Connections closed with 1008 after repeated bad messages.", qint64(m_stats.abuseCloses));
        Metrics::help(out, "pullwatch_ws_protocol_connections_total", "counter", "WebSocket connections accepted, by protocol version (v1: the original's messages).");
        out += "pullwatch_ws_protocol_connections_total{protocol=\"v1\"} " + QByteArray::number(m_stats.v1Connections) + '\n';
        out += "pullwatch_ws_protocol_connections_total{protocol=\"v2\"} " + QByteArray::number(m_stats.v2Connections) + '\n';
        counter("pullwatch_ws_v1_gaps_total", "counter", "Gaps (lines a viewer did not get) not told to v1 clients, which have no gap message.", qint64(m_stats.v1GapsWithheld));
        counter("pullwatch_ws_v1_gap_lines_total", "counter", "Lines in the gaps not told to v1 clients.", qint64(m_stats.v1GapLines));
        counter("pullwatch_ws_v1_restarts_total", "counter", "Resumes into a restarted log stream not told to v1 clients.", qint64(m_stats.v1RestartsWithheld));
        counter("pullwatch_ws_peak_queued_bytes", "gauge", "The largest send queue of any connection.", m_stats.peakQueuedBytes);
        counter("pullwatch_ws_status_subscriptions", "gauge", "Pull status subscriptions.", m_hub ? m_hub->subscriptionCount() : 0);
        counter("pullwatch_ws_log_streams", "gauge", "Shared upstream log streams.", m_logStreams ? m_logStreams->streamCount() : 0);
        counter("pullwatch_ws_log_streams_started_total", "counter", "Shared upstream log streams started.", m_logStreams ? qint64(m_logStreams->streamsStarted()) : 0);
        counter("pullwatch_pod_catalog_namespaces", "gauge", "Namespaces whose pods are watched.", m_catalog ? m_catalog->namespaceCount() : 0);
    });
}

} // namespace pw::server
