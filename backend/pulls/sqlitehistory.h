#pragma once

#include "core/pullhistory.h"

#include <QThread>

class SqliteHistoryWorker;

// Finished pulls in an SQLite file in the data directory. All database work runs on a worker
// thread; the event loop only queues.
class SqliteHistory : public PullHistory
{
    Q_OBJECT
public:
    SqliteHistory(const QString &path, int limit, QObject *parent = nullptr);
    ~SqliteHistory() override;

    void load(Loaded done) override;
    void record(const PullJob &job) override;
    void flush() override;
    QString backendName() const override { return QStringLiteral("sqlite"); }

private:
    QThread m_thread;
    SqliteHistoryWorker *m_worker;
};
