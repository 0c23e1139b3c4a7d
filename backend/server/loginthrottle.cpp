#include "loginthrottle.h"

#include "serverlog.h"

#include "core/clock.h"

#include <algorithm>

namespace pw::server {

LoginThrottle::LoginThrottle(core::Clock *clock, Settings settings)
    : m_clock(clock)
    , m_settings(settings) {}

qint64 LoginThrottle::retryAfterMs(const QHostAddress &address) const {
    const auto it = m_entries.constFind(address);
    if (it == m_entries.cend())
        return 0;
    return std::max<qint64>(0, it->bannedUntilMs - m_clock->monotonicMs());
}

void LoginThrottle::recordFailure(const QHostAddress &address) {
    const qint64 now = m_clock->monotonicMs();
    if (!m_entries.contains(address) && m_entries.size() >= m_settings.maxAddresses)
        evictOne();
    Entry &e = m_entries[address];
    e.lastSeenMs = now;
    if (e.failures == 0 || now - e.firstFailureMs > m_settings.windowMs) {
        e.failures = 0;
        e.firstFailureMs = now;
    }
    if (++e.failures < m_settings.maxFailures)
        return;
    const qint64 ban = std::min(m_settings.maxBanMs, m_settings.banMs << std::min(e.banCount, 20));
    e.bannedUntilMs = now + ban;
    ++e.banCount;
    e.failures = 0;
    ++m_bans;
    qCWarning(lcServer).noquote() << "wrong credentials from" << address.toString()
                                  << ": refused for" << ban / 1000 << "s";
}

void LoginThrottle::evictOne() {
    // Forget the address seen longest ago that is not banned now (else the oldest at all).
    const qint64 now = m_clock->monotonicMs();
    auto victim = m_entries.end();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        const bool banned = it->bannedUntilMs > now;
        if (victim == m_entries.end() ||
            (!banned && (victim->bannedUntilMs > now || it->lastSeenMs < victim->lastSeenMs)))
            victim = it;
    }
    if (victim != m_entries.end())
        m_entries.erase(victim);
}

} // namespace pw::server
