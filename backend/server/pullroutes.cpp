#include "pullroutes.h"

#include "apierror.h"
#include "metrics.h"
#include "pullrequestbody.h"

#include "cache/responsecache.h"
#include "core/dnsname.h"
#include "core/envelope.h"
#include "http/httprequest.h"
#include "kube/kubeclient.h"
#include "pulls/pullhistoryquery.h"
#include "pulls/pullservice.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pw::server {

namespace {

const QByteArray kActiveFamily = QByteArrayLiteral("active");
const QByteArray kFailedFamily = QByteArrayLiteral("failed");
const QByteArray kActiveKey = QByteArrayLiteral("image:pull:active");

http::HttpResponse ok(const QJsonValue &data, const QString &message = QStringLiteral("success"))
{
    return http::HttpResponse::json(200, core::Envelope::success(data, message));
}

QJsonArray summaries(const QList<core::PullJob> &jobs)
{
    QJsonArray array;
    for (const core::PullJob &job : jobs)
        array.append(job.toSummaryJson());
    return array;
}

// limit, as the original service read it: not a whole number, or below 1 → the default;
// above the maximum → the maximum. Written canonically in the cache key.
int parseLimit(const http::HttpRequest &request)
{
    const QString text = request.queryValue(u"limit").trimmed();
    if (text.isEmpty())
        return PullRoutes::kDefaultFailedLimit;
    for (QChar c : text)
        if (c < u'0' || c > u'9')
            return PullRoutes::kDefaultFailedLimit;
    if (text.size() > 9) // beyond any int: certainly above the maximum
        return PullRoutes::kMaxFailedLimit;
    const int value = text.toInt();
    if (value < 1)
        return PullRoutes::kDefaultFailedLimit;
    return qMin(value, PullRoutes::kMaxFailedLimit);
}

std::optional<ApiError> checkJobId(const QString &id)
{
    const QString error = core::DnsName::subdomainError(id, u"job_id");
    if (!error.isEmpty())
        return ApiError::badRequest(error, QStringLiteral("job_id"));
    return std::nullopt;
}

ApiError toApiError(const pulls::PullError &e)
{
    return ApiError::fromStatus(e.status, e.message);
}

} // namespace

PullRoutes::PullRoutes(ApiServices services, Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
    addMetrics(metrics);
    pulls::PullTracker *tracker = m_services.pulls->tracker();
    connect(tracker, &pulls::PullTracker::changed, this, [this](const core::PullJob &job) {
        // Active list: every change of an active pull, and a pull leaving it.
        m_services.cache->invalidate(kActiveFamily);
        if (job.status == core::PullStatus::Failed)
            m_services.cache->invalidate(kFailedFamily);
    });
}

QByteArray PullRoutes::activeBody() const
{
    return core::Envelope::success(summaries(m_services.pulls->tracker()->active()));
}

QByteArray PullRoutes::failedBody(int limit) const
{
    return core::Envelope::success(summaries(m_services.pulls->tracker()->failed(limit)));
}

QByteArray PullRoutes::historyBody(const pulls::PullHistoryQuery &query) const
{
    QJsonArray array;
    for (const core::PullJob &job : m_services.pulls->tracker()->finishedPage(query)) {
        QJsonObject o = job.toSummaryJson();
        if (job.createdAt.isValid() && job.finishedAt.isValid())
            o.insert(QStringLiteral("duration_seconds"),
                     double(job.createdAt.msecsTo(job.finishedAt)) / 1000.0);
        array.append(o);
    }
    return core::Envelope::success(array);
}

void PullRoutes::active(const http::HttpRequest &, http::HttpReply reply) const
{
    m_services.cache->fetch(kActiveFamily, kActiveKey, kActiveTtlMs, [this] { return activeBody(); },
                            [reply](const QByteArray &body) {
                                reply.send(http::HttpResponse::json(200, body));
                            });
}

void PullRoutes::failed(const http::HttpRequest &request, http::HttpReply reply) const
{
    const int limit = parseLimit(request);
    m_services.cache->fetch(kFailedFamily, "image:pull:failed:" + QByteArray::number(limit),
                            kFailedTtlMs, [this, limit] { return failedBody(limit); },
                            [reply](const QByteArray &body) {
                                reply.send(http::HttpResponse::json(200, body));
                            });
}

void PullRoutes::history(const http::HttpRequest &request, http::HttpReply reply) const
{
    auto param = [&request](QStringView name) {
        return request.hasQueryItem(name) ? request.queryValue(name) : QString();
    };
    const auto query = pulls::PullHistoryQuery::parse(param(u"status"), param(u"limit"),
                                               param(u"before"), param(u"before_id"));
    if (!query.ok()) {
        reply.send(ApiError::badRequest(query.error()).toResponse());
        return;
    }
    reply.send(http::HttpResponse::json(200, historyBody(query.value())));
}

void PullRoutes::start(const http::HttpRequest &request, http::HttpReply reply) const
{
    QStringList references;
    if (const auto error = PullRequestBody::parse(request.body, &references)) {
        reply.send(error->toResponse());
        return;
    }
    m_services.pulls->startPulls(references, [reply](const QStringList &ids,
                                                     const std::optional<pulls::PullError> &e) {
        if (e) {
            reply.send(toApiError(*e).toResponse());
            return;
        }
        reply.send(ok(QJsonObject{{QStringLiteral("job_ids"), QJsonArray::fromStringList(ids)}},
                      QStringLiteral("image pull job started")));
    });
}

// The pull form's "will be copied to …": the same body and checks as POST /images/pull.
void PullRoutes::preview(const http::HttpRequest &request, http::HttpReply reply) const
{
    QStringList references;
    if (const auto error = PullRequestBody::parse(request.body, &references)) {
        reply.send(error->toResponse());
        return;
    }
    QJsonArray previews;
    if (const auto error = m_services.pulls->planner().preview(references, &previews)) {
        reply.send(toApiError(*error).toResponse());
        return;
    }
    reply.send(ok(previews));
}

void PullRoutes::detail(const http::HttpRequest &request, http::HttpReply reply) const
{
    const QString id = request.pathParam(QStringLiteral("job_id"));
    if (const auto error = checkJobId(id)) {
        reply.send(error->toResponse());
        return;
    }
    const auto job = m_services.pulls->tracker()->find(id);
    if (!job) {
        reply.send(ApiError::notFound(QStringLiteral("no pull with job_id '%1'").arg(id)).toResponse());
        return;
    }
    reply.send(ok(job->toDetailJson()));
}

void PullRoutes::retry(const http::HttpRequest &request, http::HttpReply reply) const
{
    const QString id = request.pathParam(QStringLiteral("job_id"));
    if (const auto error = checkJobId(id)) {
        reply.send(error->toResponse());
        return;
    }
    m_services.pulls->retry(id, [reply, id](const QString &newId,
                                            const std::optional<pulls::PullError> &e) {
        if (e) {
            reply.send(toApiError(*e).toResponse());
            return;
        }
        reply.send(ok(QJsonObject{{QStringLiteral("job_id"), newId}, {QStringLiteral("retry_of"), id}},
                      QStringLiteral("image pull job restarted")));
    });
}

void PullRoutes::cancel(const http::HttpRequest &request, http::HttpReply reply) const
{
    const QString id = request.pathParam(QStringLiteral("job_id"));
    if (const auto error = checkJobId(id)) {
        reply.send(error->toResponse());
        return;
    }
    m_services.pulls->cancel(id, [reply](const std::optional<core::PullJob> &job,
                                         const std::optional<pulls::PullError> &e) {
        if (e) {
            reply.send(toApiError(*e).toResponse());
            return;
        }
        reply.send(ok(job ? job->toSummaryJson() : QJsonObject(),
                      QStringLiteral("image pull job cancelled")));
    });
}

void PullRoutes::addMetrics(Metrics *metrics)
{
    metrics->addSection([this](QByteArray &out) {
        const pulls::PullTracker *t = m_services.pulls->tracker();
        Metrics::help(out, "pullwatch_pulls_active", "gauge", "Pulls in progress.");
        out += "pullwatch_pulls_active " + QByteArray::number(t->activeCount()) + '\n';
        Metrics::help(out, "pullwatch_pulls_finished_total", "counter", "Pulls finished, by outcome.");
        out += "pullwatch_pulls_finished_total{outcome=\"completed\"} "
            + QByteArray::number(t->finishedCount(core::PullStatus::Completed)) + '\n';
        out += "pullwatch_pulls_finished_total{outcome=\"failed\"} "
            + QByteArray::number(t->finishedCount(core::PullStatus::Failed)) + '\n';
    });
    metrics->addSection([this](QByteArray &out) {
        const cache::ResponseCache *c = m_services.cache;
        const QByteArray backend = Metrics::label(c->backendName());
        Metrics::help(out, "pullwatch_cache_requests_total", "counter",
                      "Cached endpoint lookups by key family, backend and result.");
        for (const QByteArray &family : c->families()) {
            const cache::CacheFamilyStats s = c->stats(family);
            const QByteArray prefix = "pullwatch_cache_requests_total{family=\"" + family
                + "\",backend=" + backend + ",result=\"";
            out += prefix + "hit\"} " + QByteArray::number(s.hits) + '\n';
            out += prefix + "stale_hit\"} " + QByteArray::number(s.staleHits) + '\n';
            out += prefix + "shared_hit\"} " + QByteArray::number(s.sharedHits) + '\n';
            out += prefix + "miss\"} " + QByteArray::number(s.misses) + '\n';
            out += prefix + "error\"} " + QByteArray::number(s.sharedErrors) + '\n';
            out += "pullwatch_cache_refreshes_total{family=\"" + family + "\"} "
                + QByteArray::number(s.refreshes) + '\n';
            out += "pullwatch_cache_shared_lookup_seconds_sum{family=\"" + family + "\"} "
                + QByteArray::number(double(s.sharedLatencyUsSum) / 1e6, 'g', 9) + '\n';
            out += "pullwatch_cache_shared_lookup_seconds_count{family=\"" + family + "\"} "
                + QByteArray::number(s.sharedLookups) + '\n';
        }
        Metrics::help(out, "pullwatch_cache_backend_up", "gauge", "1 while the cache backend answers.");
        out += "pullwatch_cache_backend_up{backend=" + backend + "} "
            + (c->sharedAvailable() ? "1" : "0") + QByteArray("\n");
    });
    metrics->addSection([this](QByteArray &out) {
        if (!m_services.kube)
            return;
        Metrics::help(out, "pullwatch_cluster_state", "gauge", "1 for the cluster connection's current state.");
        const auto current = m_services.kube->state();
        for (auto state : {kube::KubeClient::ConnectionState::Connecting,
                           kube::KubeClient::ConnectionState::Connected,
                           kube::KubeClient::ConnectionState::Reconnecting, kube::KubeClient::ConnectionState::Unauthorized,
                           kube::KubeClient::ConnectionState::Forbidden})
            out += "pullwatch_cluster_state{state=" + Metrics::label(kube::KubeClient::stateName(state).toLower())
                + "} " + (state == current ? "1" : "0") + QByteArray("\n");
        Metrics::help(out, "pullwatch_cluster_watch_events_total", "counter",
                      "Watch events applied by the informers (pull Jobs and pods, log catalogues).");
        out += "pullwatch_cluster_watch_events_total " + QByteArray::number(m_services.kube->watchEvents())
            + '\n';
    });
}

} // namespace pw::server
