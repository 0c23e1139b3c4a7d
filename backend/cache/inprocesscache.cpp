#include "inprocesscache.h"

#include "core/clock.h"

namespace pw::cache {

InProcessCache::InProcessCache(core::Clock *clock, int maxEntries, QObject *parent)
    : Cache(parent)
    , m_clock(clock)
    , m_maxEntries(maxEntries)
{
}

void InProcessCache::get(const QByteArray &key, GetCallback done)
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd() || it->expiresAtMs <= m_clock->monotonicMs()) {
        done(CacheLookup{CacheLookup::Outcome::Miss, {}, {}, -1});
        return;
    }
    done(CacheLookup{CacheLookup::Outcome::Hit, it->value, {},
                     it->expiresAtMs - m_clock->monotonicMs()});
}

void InProcessCache::set(const QByteArray &key, const QByteArray &value, int ttlMs)
{
    if (!m_entries.contains(key) && m_entries.size() >= m_maxEntries)
        evict();
    m_entries.insert(key, Entry{value, m_clock->monotonicMs() + ttlMs});
}

void InProcessCache::remove(const QByteArrayList &keys)
{
    for (const QByteArray &key : keys)
        m_entries.remove(key);
}

void InProcessCache::evict()
{
    // Drop what has expired; if nothing has, drop the entry closest to expiry.
    const qint64 now = m_clock->monotonicMs();
    auto soonest = m_entries.end();
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->expiresAtMs <= now) {
            it = m_entries.erase(it);
            continue;
        }
        if (soonest == m_entries.end() || it->expiresAtMs < soonest->expiresAtMs)
            soonest = it;
        ++it;
    }
    if (m_entries.size() >= m_maxEntries && soonest != m_entries.end())
        m_entries.erase(soonest);
}

} // namespace pw::cache
