#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <functional>

class Clock;
class RedisClient;

// Logged-out sessions shared by the replicas that share Redis (docs/architecture.md §6): a
// logout anywhere ends the session everywhere within a second. A sorted set
// pullwatch:sessions:revoked of nonces scored by their expiry; each replica adds its logouts
// and reads the set every second.
class SharedRevocations : public QObject {
    Q_OBJECT
public:
    using Adopt = std::function<void(const QByteArray &nonce, qint64 expiry)>;

    SharedRevocations(RedisClient *client, Clock *clock, QObject *parent = nullptr);

    // Called for every revocation found in Redis (this replica's own too).
    void setAdopt(Adopt adopt) { m_adopt = std::move(adopt); }
    void publish(const QByteArray &nonce, qint64 expiry);

    static constexpr int kPollMs = 1000;

private:
    void poll();

    RedisClient *m_client;
    Clock *m_clock;
    Adopt m_adopt;
    QTimer m_timer;
};
