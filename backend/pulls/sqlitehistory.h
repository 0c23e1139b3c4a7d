#pragma once

#include "core/notifyqueue.h"
#include "core/pullhistory.h"

#include <QThread>

class SqliteHistoryWorker;

// Finished pulls in an SQLite file in the data directory, and the callbacks still to deliver.
// All database work runs on a worker thread; the event loop only queues.
class SqliteHistory : public PullHistory, public NotifyQueue
{
    Q_OBJECT
public:
    SqliteHistory(const QString &path, int limit, QObject *parent = nullptr);
    ~SqliteHistory() override;

    void load(Loaded done) override;
    void record(const PullJob &job) override;
    void flush() override;
    QString backendName() const override { return QStringLiteral("sqlite"); }

    void add(const Notification &n, std::function<void(bool added)> done) override;
    void pending(std::function<void(const QList<Notification> &)> done) override;
    // One process owns its data directory: the lease is always its own.
    void lease(const Notification &n, int ms, Leased done) override;
    void update(const Notification &n) override;
    void remove(const QString &key) override;

private:
    QThread m_thread;
    SqliteHistoryWorker *m_worker;
};
