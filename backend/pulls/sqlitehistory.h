#pragma once

#include "core/notifyqueue.h"
#include "core/pullhistory.h"

#include <QThread>

namespace pw::pulls {

class SqliteHistoryWorker;

// Finished pulls in an SQLite file in the data directory, and the callbacks still to deliver.
// All database work runs on a worker thread; the event loop only queues.
class SqliteHistory : public core::PullHistory, public core::NotifyQueue
{
    Q_OBJECT
public:
    SqliteHistory(const QString &path, int limit, QObject *parent = nullptr);
    ~SqliteHistory() override;

    void load(Loaded done) override;
    void record(const core::PullJob &job) override;
    void flush() override;
    QString backendName() const override { return QStringLiteral("sqlite"); }

    void add(const core::Notification &n, std::function<void(bool added)> done) override;
    void pending(std::function<void(const QList<core::Notification> &)> done) override;
    // One process owns its data directory: the lease is always its own.
    void lease(const core::Notification &n, int ms, Leased done) override;
    void update(const core::Notification &n) override;
    void remove(const QString &key) override;

private:
    QThread m_thread;
    SqliteHistoryWorker *m_worker;
};

} // namespace pw::pulls
