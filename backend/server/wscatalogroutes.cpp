#include "wscatalogroutes.h"

#include "apierror.h"
#include "wsnamespacepods.h"
#include "wspodcatalog.h"

#include "core/dnsname.h"
#include "core/envelope.h"
#include "http/httprouter.h"
#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeobject.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <utility>

namespace {

QByteArray podsBody(const WsNamespacePods *pods, const QString &job)
{
    // Each name is read once, not twice per comparison: at 10,000 pods the JSON lookups in
    // the comparator made the answer cost grow faster than the pods (bench/FINDINGS.md).
    QList<std::pair<QString, QJsonObject>> named;
    const QList<QJsonObject> list = pods->pods();
    named.reserve(list.size());
    for (const QJsonObject &pod : list)
        if (job.isEmpty() || WsNamespacePods::jobOf(pod) == job)
            named.append({KubeObject::name(pod), pod});
    std::sort(named.begin(), named.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    QJsonArray out;
    for (const auto &entry : std::as_const(named))
        out.append(WsNamespacePods::summary(entry.second));
    return Envelope::success(out);
}

} // namespace

WsCatalogRoutes::WsCatalogRoutes(HttpRouter &router, WsPodCatalog *catalog,
                                 const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_config(config)
{
    router.add("GET", QStringLiteral("/namespaces"),
               [this](const HttpRequest &, HttpResponder responder) {
                   namespaces(std::move(responder));
               });
    router.add("GET", QStringLiteral("/pods"), [this](const HttpRequest &request,
                                                      HttpResponder responder) {
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
        QString error = DnsName::labelError(ns, u"namespace");
        if (error.isEmpty() && request.hasQueryItem(u"job"))
            error = DnsName::subdomainError(job, u"job");
        if (!error.isEmpty()) {
            responder.send(ApiError::badRequest(error).toResponse());
            return;
        }
        WsNamespacePods *pods = m_catalog->acquire(ns);
        if (pods->hasSynced()) {
            responder.send(HttpResponse::json(200, podsBody(pods, job)));
            m_catalog->release(pods);
            return;
        }
        // Answered once the first list is in, or with 503 after catalogSyncWaitMs.
        auto held = std::make_shared<HttpResponder>(std::move(responder));
        auto *timer = new QTimer(pods);
        timer->setSingleShot(true);
        const auto answer = [this, pods, held, job, timer, ns] {
            if (!held->isPending() && !timer->isActive())
                return;
            timer->stop();
            timer->deleteLater();
            disconnect(pods, &WsNamespacePods::synced, timer, nullptr);
            if (pods->hasSynced())
                held->send(HttpResponse::json(200, podsBody(pods, job)));
            else
                held->send(ApiError::unavailable(QStringLiteral("the pods of namespace %1 "
                                                                "could not be listed yet")
                                                     .arg(ns))
                               .toResponse());
            m_catalog->release(pods);
        };
        connect(pods, &WsNamespacePods::synced, timer, answer);
        connect(timer, &QTimer::timeout, this, answer);
        timer->start(m_config.catalogSyncWaitMs);
    });
}

void WsCatalogRoutes::namespaces(HttpResponder responder)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_namespacesAt >= 0 && now - m_namespacesAt < kNamespacesTtlMs) {
        responder.send(HttpResponse::json(200, m_namespacesBody));
        return;
    }
    m_waiting.push_back(std::move(responder));
    if (m_listing)
        return; // single flight: one cluster request answers every waiting client
    m_listing = true;
    KubeCall *call = m_catalog->client()->send("GET", QStringLiteral("/api/v1/namespaces"));
    connect(call, &KubeCall::finished, this, [this](KubeCall *c) {
        m_listing = false;
        if (!c->ok()) {
            const HttpResponse error =
                ApiError::unavailable(QStringLiteral("cannot list namespaces: %1")
                                          .arg(c->error().toString()))
                    .toResponse();
            std::vector<HttpResponder> waiting = std::move(m_waiting);
            m_waiting.clear();
            for (HttpResponder &r : waiting)
                r.send(error);
            return;
        }
        QList<QJsonObject> items;
        for (const QJsonValue &v : c->object().value(QLatin1String("items")).toArray())
            items.append(v.toObject());
        std::sort(items.begin(), items.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return KubeObject::name(a) < KubeObject::name(b);
        });
        QJsonArray out;
        for (const QJsonObject &ns : std::as_const(items))
            out.append(QJsonObject{
                {QStringLiteral("name"), KubeObject::name(ns)},
                {QStringLiteral("phase"), ns[QLatin1String("status")][QLatin1String("phase")]},
                {QStringLiteral("created_at"),
                 KubeObject::metadata(ns).value(QLatin1String("creationTimestamp"))}});
        m_namespacesBody = Envelope::success(out);
        m_namespacesAt = QDateTime::currentMSecsSinceEpoch();
        std::vector<HttpResponder> waiting = std::move(m_waiting);
        m_waiting.clear();
        for (HttpResponder &r : waiting)
            r.send(HttpResponse::json(200, m_namespacesBody));
    });
}
