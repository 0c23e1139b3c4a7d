#pragma once

#include "core/pullhistory.h"

#include <QList>

class RedisClient;

// Finished pulls in Redis, shared by every instance that uses the same Redis: a sorted set
// of ids by finish time (pullwatch:history) and one key per pull (pullwatch:history:<id>)
// holding its detail JSON. Writes made while Redis is away wait in a bounded queue.
class RedisHistory : public PullHistory
{
    Q_OBJECT
public:
    RedisHistory(RedisClient *client, int limit, QObject *parent = nullptr);

    void load(Loaded done) override;
    void record(const PullJob &job) override;
    void flush() override;
    QString backendName() const override { return QStringLiteral("redis"); }
    int queued() const { return int(m_queue.size()); }

    static constexpr int kMaxQueued = 1000;

private:
    void write(const PullJob &job);
    void drain();
    void loadNow(Loaded done);

    RedisClient *m_client;
    int m_limit;
    QList<PullJob> m_queue;
};
