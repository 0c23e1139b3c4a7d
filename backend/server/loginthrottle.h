#pragma once

#include <QHash>
#include <QHostAddress>

namespace pw::core { class Clock; }

namespace pw::server {

// Throttles wrong credentials (failed logins, wrong bearer tokens, forged JWTs) per client
// address (docs/architecture.md §6): each is answered after `failureDelayMs`; after
// `maxFailures` within `windowMs`, the address's wrong credentials are refused with 429 for
// `banMs`, doubling with every further ban up to `maxBanMs`. Only wrong credentials are
// refused: behind a NAT, a proxy or `kubectl port-forward` everyone shares one address, and
// a valid credential is always served. Successes do not reset the count (they may come from
// someone else at the same address). Bounded memory.
class LoginThrottle {
public:
    struct Settings {
        int maxFailures = 5;
        qint64 windowMs = 10 * 60'000;
        qint64 banMs = 60'000;
        qint64 maxBanMs = 60 * 60'000;
        int maxAddresses = 10'000;
        int failureDelayMs = 250;
    };

    LoginThrottle(core::Clock *clock, Settings settings);

    // Milliseconds until `address` may try again; 0 when it may try now.
    qint64 retryAfterMs(const QHostAddress &address) const;
    void recordFailure(const QHostAddress &address);
    quint64 bans() const { return m_bans; }

private:
    struct Entry {
        int failures = 0;
        qint64 firstFailureMs = 0;
        qint64 bannedUntilMs = 0;
        int banCount = 0;
        qint64 lastSeenMs = 0;
    };
    void evictOne();

    core::Clock *m_clock;
    Settings m_settings;
    QHash<QHostAddress, Entry> m_entries;
    quint64 m_bans = 0;
};

} // namespace pw::server
