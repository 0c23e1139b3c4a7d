#pragma once

#include "wsconfig.h"

#include "http/httpresponder.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>

namespace pw::http { struct HttpRequest; }
namespace pw::kube { class KubeClient; }
namespace pw::logs { class NamespacePods; }
namespace pw::logs { class PodCatalog; }

namespace pw::server {

// GET /namespaces and GET /pods?namespace=NS[&job=J] (docs/architecture.md §3): what a log viewer can
// choose from, served from the pod catalog's caches; namespaces are listed at most once per
// kNamespacesTtlMs whatever the number of requests. A /pods body is built once per
// (namespace, job filter) and served again until that namespace's pod set changes; at most
// kMaxPodsBodies and WsConfig::podsCacheBytes in all are kept, the least recently used dropped
// first.
class WsCatalogRoutes : public QObject
{
    Q_OBJECT
public:
    static constexpr int kNamespacesTtlMs = 5000;
    static constexpr int kMaxPodsBodies = 64;

    WsCatalogRoutes(logs::PodCatalog *catalog, const WsConfig &config, QObject *parent = nullptr);

    // The handlers of their rows in the route table (apiroutes.cpp).
    void namespaces(http::HttpResponder responder);
    void pods(const http::HttpRequest &request, http::HttpResponder responder);

    // GET /pods bodies built from the pods, not taken from the cache, since start.
    quint64 podsBodiesBuilt() const { return m_podsBuilt; }
    int podsBodiesCached() const { return int(m_podsBodies.size()); }
    qint64 podsBodiesBytes() const { return m_podsBytes; }

private:
    struct CachedBody
    {
        QByteArray body;
        quint64 used = 0; // m_podsUse when last served
    };
    // The body for `pods` filtered by `job` (empty: every pod), cached.
    QByteArray podsBody(logs::NamespacePods *pods, const QString &job);
    // Drops the cached bodies when `pods` changes (first sight of this namespace's cache).
    void watchPods(logs::NamespacePods *pods);
    void dropPodsBodies(const QString &ns);
    // Makes room for a body of `bytes`: drops the least recently used ones.
    void makeRoomForPodsBody(qint64 bytes);

    // The namespaces body is younger than kNamespacesTtlMs.
    bool isFresh() const;

    logs::PodCatalog *m_catalog;
    WsConfig m_config;
    QByteArray m_namespacesBody;
    qint64 m_namespacesAt = -1;
    QHash<QPair<QString, QString>, CachedBody> m_podsBodies; // (namespace, job filter)
    QHash<QString, const QObject *> m_podsWatched; // namespace → its NamespacePods, watched
    quint64 m_podsUse = 0;
    qint64 m_podsBytes = 0; // sum of the cached bodies' sizes
    quint64 m_podsBuilt = 0;
};

} // namespace pw::server
