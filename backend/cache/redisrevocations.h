#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace pw::core { class Clock; }

namespace pw::cache {

class RedisClient;

// Logged-out browser sessions shared by every replica through Redis (docs/architecture.md §6),
// so a logout on one replica holds on all of them. Redis keeps them in one sorted set,
// `pullwatch:sessions:revoked`, member = the session's id, score = its expiry (seconds
// since 1970): an entry lives until its session would have expired, expired ones are trimmed
// on every refresh, and the key itself expires with the last of them. Each replica mirrors
// the set in memory, re-read every `refreshMs`, so the check on a request costs no round
// trip; a revocation made here counts here at once and on the others by their next refresh.
// Revocations made while Redis is unreachable are kept and stored once it is back. Bounded.
class RedisRevocations : public QObject
{
    Q_OBJECT
public:
    RedisRevocations(RedisClient *client, core::Clock *clock, int refreshMs = 1000,
                     QObject *parent = nullptr);

    void revoke(const QByteArray &id, qint64 expiry);
    bool contains(const QByteArray &id) const;
    // Reads the shared set now (also done every refreshMs).
    void refresh();
    static QByteArray key() { return QByteArrayLiteral("pullwatch:sessions:revoked"); }
    static constexpr int kMaxEntries = 10'000;

Q_SIGNALS:
    // The mirror was replaced by the shared set.
    void refreshed();

private:
    void store(const QByteArray &id, qint64 expiry);
    qint64 nowSeconds() const;

    RedisClient *m_client;
    core::Clock *m_clock;
    QTimer m_timer;
    bool m_refreshing = false;
    QHash<QByteArray, qint64> m_mirror;  // id → expiry
    QHash<QByteArray, qint64> m_pending; // not yet stored in Redis
};

} // namespace pw::cache
