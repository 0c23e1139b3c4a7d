#include "responsecache.h"

#include "inprocesscache.h"

#include "core/clock.h"

#include <QPointer>
#include <QTimer>

namespace pw::cache {

namespace {
// Keys unused for this long are not recomputed after a change.
constexpr qint64 kRecomputeIfUsedWithinMs = 60'000;
} // namespace

ResponseCache::ResponseCache(core::Clock *clock, Cache *shared, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_local(new InProcessCache(clock, 1024, this))
    , m_shared(shared)
{
    m_latency.start();
    if (m_shared)
        connect(m_shared, &Cache::availabilityChanged, this, [this](bool available) {
            if (available)
                warmShared();
        });
}

void ResponseCache::warmShared()
{
    // Redis came back (maybe empty, after a restart): give it what this process holds, so
    // other instances hit at once instead of after this process's next refresh.
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it) {
        const QByteArray key = it.key();
        const int ttlMs = it->ttlMs;
        m_local->get(key, [this, key, ttlMs](const CacheLookup &l) {
            const qint64 freshLeft = l.remainingTtlMs - m_staleWindowMs;
            if (l.outcome == CacheLookup::Outcome::Hit && freshLeft > 0)
                m_shared->set(key, l.value, int(qMin<qint64>(freshLeft, ttlMs)));
        });
    }
}

ResponseCache::~ResponseCache() = default;

QString ResponseCache::backendName() const
{
    return m_shared ? m_shared->backendName() : m_local->backendName();
}

bool ResponseCache::sharedAvailable() const
{
    return m_shared ? m_shared->isAvailable() : true;
}

QByteArray ResponseCache::compute(const QByteArray &key, Key &k)
{
    const QByteArray bytes = k.origin();
    // Locally the value lives for its TTL plus the stale window; it is fresh while more than
    // the stale window remains.
    m_local->set(key, bytes, k.ttlMs + m_staleWindowMs);
    if (m_shared && m_shared->isAvailable())
        m_shared->set(key, bytes, k.ttlMs);
    return bytes;
}

void ResponseCache::fetch(const QByteArray &family, const QByteArray &key, int ttlMs,
                          Origin origin, Deliver deliver)
{
    Key &k = m_keys[key];
    k.family = family;
    k.ttlMs = ttlMs;
    k.origin = std::move(origin);
    k.lastUsedMs = m_clock->monotonicMs();
    CacheFamilyStats &stats = m_stats[family];

    CacheLookup local;
    m_local->get(key, [&local](const CacheLookup &l) { local = l; });
    if (local.outcome == CacheLookup::Outcome::Hit) {
        if (local.remainingTtlMs > m_staleWindowMs) {
            ++stats.hits;
        } else {
            ++stats.staleHits;
            queueRefresh(key);
        }
        deliver(local.value);
        return;
    }
    if (m_shared && m_shared->isAvailable()) {
        k.waiters.append(std::move(deliver));
        if (!k.lookupInFlight)
            lookUpShared(key, k);
        return;
    }
    ++stats.misses;
    deliver(compute(key, k));
}

void ResponseCache::lookUpShared(const QByteArray &key, Key &k)
{
    k.lookupInFlight = true;
    k.lookupGeneration = m_generation.value(k.family);
    ++m_stats[k.family].sharedLookups;
    const qint64 startedUs = m_latency.nsecsElapsed() / 1000;
    QPointer<ResponseCache> self(this);
    m_shared->get(key, [self, key, startedUs](const CacheLookup &lookup) {
        if (self)
            self->finishLookup(key, lookup, startedUs);
    });
}

void ResponseCache::finishLookup(const QByteArray &key, const CacheLookup &lookup,
                                 qint64 startedUs)
{
    auto it = m_keys.find(key);
    if (it == m_keys.end())
        return;
    Key &k = *it;
    CacheFamilyStats &stats = m_stats[k.family];
    stats.sharedLatencyUsSum += quint64(m_latency.nsecsElapsed() / 1000 - startedUs);
    k.lookupInFlight = false;
    const QList<Deliver> waiters = std::move(k.waiters);
    k.waiters.clear();

    // A shared value is taken only if it was written after the family's last change here.
    const qint64 now = m_clock->monotonicMs();
    const qint64 writtenAt = now - (k.ttlMs - lookup.remainingTtlMs);
    const bool current = lookup.outcome == CacheLookup::Outcome::Hit
        && k.lookupGeneration == m_generation.value(k.family)
        && writtenAt >= m_lastChangeMs.value(k.family, -1);
    QByteArray bytes;
    if (current) {
        stats.sharedHits += quint64(waiters.size());
        bytes = lookup.value;
        m_local->set(key, bytes, int(lookup.remainingTtlMs) + m_staleWindowMs);
    } else {
        if (lookup.outcome == CacheLookup::Outcome::Error)
            ++stats.sharedErrors;
        ++stats.misses;
        stats.hits += quint64(qMax<qsizetype>(0, waiters.size() - 1)); // single flight
        bytes = compute(key, k);
    }
    for (const Deliver &d : waiters)
        d(bytes);
}

void ResponseCache::queueRefresh(const QByteArray &key)
{
    Key &k = m_keys[key];
    if (k.refreshQueued)
        return;
    k.refreshQueued = true;
    QTimer::singleShot(0, this, [this, key] { refresh(key); });
}

void ResponseCache::refresh(const QByteArray &key)
{
    auto it = m_keys.find(key);
    if (it == m_keys.end())
        return;
    it->refreshQueued = false;
    ++m_stats[it->family].refreshes;
    compute(key, *it);
}

void ResponseCache::invalidate(const QByteArray &family)
{
    ++m_generation[family];
    m_lastChangeMs[family] = m_clock->monotonicMs();
    QByteArrayList keys;
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it)
        if (it->family == family)
            keys.append(it.key());
    m_local->remove(keys);
    if (m_shared)
        m_shared->remove(keys);
    // Recompute what is in use right after this change (coalesced: one pass per event-loop
    // turn however many changes arrive), so the next requests hit.
    const qint64 now = m_clock->monotonicMs();
    for (const QByteArray &key : keys)
        if (now - m_keys[key].lastUsedMs < kRecomputeIfUsedWithinMs)
            queueRefresh(key);
}

} // namespace pw::cache
