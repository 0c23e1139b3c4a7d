#include "wscatalogroutes.h"

#include "apierror.h"

#include "core/dnsname.h"
#include "core/envelope.h"
#include "http/httpreply.h"
#include "http/httprequest.h"
#include "kube/kubeobject.h"
#include "logs/namespacepods.h"
#include "logs/podcatalog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>
#include <QTimer>

#include <algorithm>

namespace pw::server {

namespace {

QByteArray buildPodsBody(const logs::NamespacePods *pods, const QString &job)
{
    QList<kube::KubePod> list = pods->pods();
    std::sort(list.begin(), list.end(),
              [](const kube::KubePod &a, const kube::KubePod &b) { return a.name() < b.name(); });
    QJsonArray out;
    for (const kube::KubePod &pod : std::as_const(list))
        if (job.isEmpty() || pod.jobName() == job)
            out.append(logs::NamespacePods::summary(pod));
    return core::Envelope::success(out);
}

} // namespace

WsCatalogRoutes::WsCatalogRoutes(logs::PodCatalog *catalog, const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_config(config)
{
}

QByteArray WsCatalogRoutes::podsBody(logs::NamespacePods *pods, const QString &job)
{
    watchPods(pods);
    const auto key = qMakePair(pods->namespaceName(), job);
    const auto it = m_podsBodies.find(key);
    if (it != m_podsBodies.end()) {
        it->used = ++m_podsUse;
        return it->body;
    }
    const QByteArray body = buildPodsBody(pods, job);
    ++m_podsBuilt;
    if (body.size() > m_config.podsCacheBytes)
        return body;
    makeRoomForPodsBody(body.size());
    m_podsBodies.insert(key, CachedBody{body, ++m_podsUse});
    m_podsBytes += body.size();
    return body;
}

void WsCatalogRoutes::makeRoomForPodsBody(qint64 bytes)
{
    while (!m_podsBodies.isEmpty()
           && (m_podsBodies.size() >= kMaxPodsBodies
               || m_podsBytes + bytes > m_config.podsCacheBytes)) {
        auto oldest = m_podsBodies.begin();
        for (auto i = m_podsBodies.begin(); i != m_podsBodies.end(); ++i)
            if (i->used < oldest->used)
                oldest = i;
        m_podsBytes -= oldest->body.size();
        m_podsBodies.erase(oldest);
    }
}

void WsCatalogRoutes::watchPods(logs::NamespacePods *pods)
{
    const QString ns = pods->namespaceName();
    if (m_podsWatched.value(ns) == pods)
        return;
    // A new cache of this namespace (the last one was dropped while idle): what was built
    // from the old one may be out of date.
    dropPodsBodies(ns);
    m_podsWatched.insert(ns, pods);
    const auto changed = [this, ns] { dropPodsBodies(ns); };
    connect(pods, &logs::NamespacePods::podChanged, this, changed);
    connect(pods, &logs::NamespacePods::podDeleted, this, changed);
    const QObject *watched = pods;
    connect(pods, &QObject::destroyed, this, [this, ns, watched] {
        if (m_podsWatched.value(ns) != watched)
            return;
        m_podsWatched.remove(ns);
        dropPodsBodies(ns);
    });
}

void WsCatalogRoutes::dropPodsBodies(const QString &ns)
{
    for (auto it = m_podsBodies.begin(); it != m_podsBodies.end();) {
        if (it.key().first != ns) {
            ++it;
            continue;
        }
        m_podsBytes -= it->body.size();
        it = m_podsBodies.erase(it);
    }
}

void WsCatalogRoutes::pods(const http::HttpRequest &request, http::HttpResponder responder)
{
    for (const auto &item : request.queryItems()) {
        if (item.first != QLatin1String("namespace") && item.first != QLatin1String("job")) {
            responder.send(ApiError::badRequest(QStringLiteral("unknown parameter '%1'; "
                                                               "allowed: namespace, job")
                                                    .arg(item.first.left(40)))
                               .toResponse());
            return;
        }
    }
    const QString ns = request.queryValue(u"namespace");
    const QString job = request.queryValue(u"job");
    QString error = core::DnsName::labelError(ns, u"namespace");
    if (error.isEmpty() && request.hasQueryItem(u"job"))
        error = core::DnsName::subdomainError(job, u"job");
    if (!error.isEmpty()) {
        responder.send(ApiError::badRequest(error).toResponse());
        return;
    }
    logs::NamespacePods *pods = m_catalog->acquire(ns);
    if (pods->hasSynced()) {
        responder.send(http::HttpResponse::json(200, podsBody(pods, job)));
        m_catalog->release(pods);
        return;
    }
    // Answered once the first list is in, or with 503 after catalogSyncWaitMs.
    http::HttpReply held(std::move(responder));
    auto *timer = new QTimer(pods);
    timer->setSingleShot(true);
    const auto answer = [this, pods, held, job, timer, ns] {
        if (!held.isPending() && !timer->isActive())
            return;
        timer->stop();
        timer->deleteLater();
        disconnect(pods, &logs::NamespacePods::synced, timer, nullptr);
        if (pods->hasSynced())
            held.send(http::HttpResponse::json(200, podsBody(pods, job)));
        else
            held.send(ApiError::unavailable(QStringLiteral("the pods of namespace %1 "
                                                            "could not be listed yet")
                                                 .arg(ns))
                           .toResponse());
        m_catalog->release(pods);
    };
    connect(pods, &logs::NamespacePods::synced, timer, answer);
    connect(timer, &QTimer::timeout, this, answer);
    timer->start(m_config.catalogSyncWaitMs);
}

void WsCatalogRoutes::namespaces(http::HttpResponder responder)
{
    if (isFresh()) {
        responder.send(http::HttpResponse::json(200, m_namespacesBody));
        return;
    }
    // The catalogue lists once for every caller waiting (single flight); the first answer
    // builds the body, the others take it.
    http::HttpReply held(std::move(responder));
    m_catalog->listNamespaces(this, [this, held](const QList<QJsonObject> &items,
                                                 const QString &why) {
        if (!why.isEmpty()) {
            held.send(ApiError::unavailable(QStringLiteral("cannot list namespaces: %1").arg(why))
                           .toResponse());
            return;
        }
        if (!isFresh()) {
            QJsonArray out;
            for (const QJsonObject &ns : items)
                out.append(QJsonObject{
                    {QStringLiteral("name"), kube::KubeObject::name(ns)},
                    {QStringLiteral("phase"), ns[QLatin1String("status")][QLatin1String("phase")]},
                    {QStringLiteral("created_at"),
                     kube::KubeObject::metadata(ns).value(QLatin1String("creationTimestamp"))}});
            m_namespacesBody = core::Envelope::success(out);
            m_namespacesAt = QDateTime::currentMSecsSinceEpoch();
        }
        held.send(http::HttpResponse::json(200, m_namespacesBody));
    });
}

bool WsCatalogRoutes::isFresh() const
{
    return m_namespacesAt >= 0
        && QDateTime::currentMSecsSinceEpoch() - m_namespacesAt < kNamespacesTtlMs;
}

} // namespace pw::server
