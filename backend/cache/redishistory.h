#pragma once

#include "core/notifyqueue.h"
#include "core/pullhistory.h"

#include <QList>

namespace pw::cache {

class RedisClient;

// Finished pulls in Redis, shared by every instance that uses the same Redis: a sorted set
// of ids by finish time (pullwatch:history) and one key per pull (pullwatch:history:<id>)
// holding its detail JSON. Writes made while Redis is away wait in a bounded queue.
// Callbacks to deliver: a hash pullwatch:notify:queue (key → notification), a claim
// pullwatch:notify:claim:<key> (SET NX, a week, set in the same script as the queue entry)
// so that one replica queues each, and a lease
// pullwatch:notify:lease:<key> (SET NX PX) so that one replica makes each attempt.
class RedisHistory : public core::PullHistory, public core::NotifyQueue
{
    Q_OBJECT
public:
    RedisHistory(RedisClient *client, int limit, QObject *parent = nullptr);

    void load(Loaded done) override;
    void record(const core::PullJob &job) override;
    void flush() override;
    QString backendName() const override { return QStringLiteral("redis"); }
    int queued() const { return int(m_queue.size()); }

    void add(const core::Notification &n, std::function<void(bool added)> done) override;
    void pending(std::function<void(const QList<core::Notification> &)> done) override;
    void lease(const core::Notification &n, int ms, Leased done) override;
    void update(const core::Notification &n) override;
    void remove(const QString &key) override;

    static constexpr int kMaxQueued = 1000;

private:
    void write(const core::PullJob &job);
    void drain();
    void claimAndQueue(const core::Notification &n, std::function<void(bool)> done, bool retry);
    void loadNow(Loaded done);

    RedisClient *m_client;
    int m_limit;
    QList<core::PullJob> m_queue;
    // Callbacks queued while Redis was away: claimed and queued once it is back (the flag:
    // an earlier attempt may have claimed it already).
    struct WaitingClaim
    {
        core::Notification notification;
        std::function<void(bool)> done;
        bool retry = false;
    };
    QList<WaitingClaim> m_notifyWaiting;
};

} // namespace pw::cache
