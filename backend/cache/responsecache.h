#pragma once

#include "cache.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

namespace pw::core { class Clock; }

namespace pw::cache {

class InProcessCache;

// Counters of one key family ("active", "failed"), for /metrics and the UI.
struct CacheFamilyStats
{
    quint64 hits = 0;        // served from this process without touching the origin
    quint64 staleHits = 0;   // served stale by TTL while a refresh ran (never stale by change)
    quint64 sharedHits = 0;  // served from the shared backend (Redis)
    quint64 misses = 0;      // computed by the origin on the request path
    quint64 sharedErrors = 0;
    quint64 sharedLookups = 0;
    quint64 sharedLatencyUsSum = 0;
    quint64 refreshes = 0;   // computed off the request path
};

// Cache-aside for finished responses (docs/architecture.md §5). Each key is served, in order, from this
// process (fresh, or stale by TTL while one refresh runs off the request path), from the
// shared backend when there is one (Redis; one lookup per key in flight, later requests
// wait for it), or from the origin. A change invalidates a family at once: the affected keys
// are dropped here and in the shared backend, a shared value written before the change is
// never accepted, and the keys in use are recomputed right after.
class ResponseCache : public QObject
{
    Q_OBJECT
public:
    using Origin = std::function<QByteArray()>;
    using Deliver = std::function<void(const QByteArray &)>;

    // `shared` may be null (in-process only).
    ResponseCache(core::Clock *clock, Cache *shared, QObject *parent = nullptr);
    ~ResponseCache() override;

    // `deliver` is called exactly once, possibly before fetch() returns.
    void fetch(const QByteArray &family, const QByteArray &key, int ttlMs, Origin origin,
               Deliver deliver);
    void invalidate(const QByteArray &family);

    QString backendName() const;
    bool sharedAvailable() const;
    CacheFamilyStats stats(const QByteArray &family) const { return m_stats.value(family); }
    QList<QByteArray> families() const { return m_stats.keys(); }
    // How long a value may be served stale by TTL while it is refreshed.
    void setStaleWindowMs(int ms) { m_staleWindowMs = ms; }

private:
    struct Key
    {
        QByteArray family;
        int ttlMs = 0;
        Origin origin;
        qint64 lastUsedMs = 0;
        bool lookupInFlight = false;
        bool refreshQueued = false;
        quint64 lookupGeneration = 0;
        QList<Deliver> waiters;
    };
    QByteArray compute(const QByteArray &key, Key &k);
    void lookUpShared(const QByteArray &key, Key &k);
    void finishLookup(const QByteArray &key, const CacheLookup &lookup, qint64 startedUs);
    void queueRefresh(const QByteArray &key);
    void refresh(const QByteArray &key);
    void warmShared();

    core::Clock *m_clock;
    InProcessCache *m_local;
    Cache *m_shared;
    int m_staleWindowMs = 2000;
    QHash<QByteArray, Key> m_keys;
    QHash<QByteArray, quint64> m_generation;   // per family
    QHash<QByteArray, qint64> m_lastChangeMs;  // per family
    QHash<QByteArray, CacheFamilyStats> m_stats;
    QElapsedTimer m_latency;
};

} // namespace pw::cache
