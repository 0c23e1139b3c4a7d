#include "sqlitehistory.h"

#include "pullslog.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace pw::pulls {

// Lives on the history thread; owns the connection.
class SqliteHistoryWorker : public QObject
{
    Q_OBJECT
public:
    SqliteHistoryWorker(QString path, int limit) : m_path(std::move(path)), m_limit(limit) {}
    ~SqliteHistoryWorker() override
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }

    QString open()
    {
        if (!m_error.isEmpty() || QSqlDatabase::contains(m_connection))
            return m_error;
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(m_path);
        if (!db.open())
            return m_error = QStringLiteral("cannot open %1: %2").arg(m_path, db.lastError().text());
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS pulls (id TEXT PRIMARY KEY, "
                                   "finished_at INTEGER NOT NULL, body TEXT NOT NULL)"))
            // Trimming takes the oldest rows: by this index, not by sorting the table.
            || !q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS pulls_by_finish ON pulls "
                                      "(finished_at)"))
            || !q.exec(QStringLiteral("SELECT COUNT(*) FROM pulls")) || !q.next())
            return m_error = q.lastError().text();
        m_rows = q.value(0).toLongLong(); // counted once; write() keeps it
        // Callbacks: `notified` remembers every key ever queued (a week), `notifications`
        // holds those not yet delivered.
        if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS notified (key TEXT PRIMARY KEY, "
                                   "at INTEGER NOT NULL)"))
            || !q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS notifications (key TEXT PRIMARY "
                                      "KEY, body TEXT NOT NULL)")))
            return m_error = q.lastError().text();
        return {};
    }

    bool addNotification(const core::Notification &n)
    {
        if (!open().isEmpty())
            return false;
        QSqlDatabase db = QSqlDatabase::database(m_connection);
        QSqlQuery q(db);
        q.prepare(QStringLiteral("DELETE FROM notified WHERE at < ?"));
        q.addBindValue(QDateTime::currentMSecsSinceEpoch() - 7LL * 24 * 3600 * 1000);
        q.exec();
        q.prepare(QStringLiteral("INSERT OR IGNORE INTO notified (key, at) VALUES (?, ?)"));
        q.addBindValue(n.key);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec() || q.numRowsAffected() != 1)
            return false;
        return saveNotification(n);
    }

    bool saveNotification(const core::Notification &n)
    {
        if (!open().isEmpty())
            return false;
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO notifications (key, body) VALUES (?, ?)"));
        q.addBindValue(n.key);
        q.addBindValue(QJsonDocument(n.toJson()).toJson(QJsonDocument::Compact));
        if (q.exec())
            return true;
        qCWarning(lcPulls).noquote() << "callback queue write failed:" << q.lastError().text();
        return false;
    }

    QList<core::Notification> notifications()
    {
        QList<core::Notification> out;
        if (!open().isEmpty())
            return out;
        QSqlQuery q(QSqlDatabase::database(m_connection));
        if (q.exec(QStringLiteral("SELECT body FROM notifications")))
            while (q.next())
                out.append(core::Notification::fromJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object()));
        return out;
    }

    void removeNotification(const QString &key)
    {
        if (!open().isEmpty())
            return;
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(QStringLiteral("DELETE FROM notifications WHERE key = ?"));
        q.addBindValue(key);
        q.exec();
    }

    QList<core::PullJob> load(QString *error)
    {
        QList<core::PullJob> out;
        *error = open();
        if (!error->isEmpty())
            return out;
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(QStringLiteral("SELECT body FROM pulls ORDER BY finished_at DESC LIMIT ?"));
        q.addBindValue(m_limit);
        if (!q.exec()) {
            *error = q.lastError().text();
            return out;
        }
        while (q.next())
            out.append(core::PullJob::fromJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object()));
        return out;
    }

    void write(const QList<core::PullJob> &jobs)
    {
        if (!open().isEmpty())
            return;
        QSqlDatabase db = QSqlDatabase::database(m_connection);
        db.transaction();
        QSqlQuery known(db);
        known.prepare(QStringLiteral("SELECT 1 FROM pulls WHERE id = ?"));
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO pulls (id, finished_at, body) VALUES (?, ?, ?)"));
        for (const core::PullJob &job : jobs) {
            known.addBindValue(job.id);
            const bool replaces = known.exec() && known.next();
            known.finish();
            q.addBindValue(job.id);
            q.addBindValue(job.finishedAt.toMSecsSinceEpoch());
            q.addBindValue(QJsonDocument(job.toDetailJson()).toJson(QJsonDocument::Compact));
            if (!q.exec())
                qCWarning(lcPulls).noquote() << "history write failed:" << q.lastError().text();
            else if (!replaces)
                ++m_rows;
        }
        // Keeps the newest m_limit rows: deletes the oldest beyond them through the index, so
        // a write costs the same with 1,000 rows as with 100,000 (the table is never sorted).
        if (m_rows > m_limit) {
            QSqlQuery trim(db);
            trim.prepare(QStringLiteral("DELETE FROM pulls WHERE id IN (SELECT id FROM pulls "
                                        "ORDER BY finished_at ASC LIMIT ?)"));
            trim.addBindValue(m_rows - m_limit);
            if (trim.exec())
                m_rows -= trim.numRowsAffected();
            else
                qCWarning(lcPulls).noquote() << "history trim failed:" << trim.lastError().text();
        }
        db.commit();
    }

private:
    QString m_path;
    int m_limit;
    qint64 m_rows = 0; // rows in the pulls table (counted when opened)
    QString m_connection = QStringLiteral("pullwatch-history-") + QUuid::createUuid().toString();
    QString m_error;
};

SqliteHistory::SqliteHistory(const QString &path, int limit, QObject *parent)
    : core::PullHistory(parent)
    , m_worker(new SqliteHistoryWorker(path, limit))
{
    m_thread.setObjectName(QStringLiteral("history"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

SqliteHistory::~SqliteHistory()
{
    flush();
    m_thread.quit();
    m_thread.wait();
}

void SqliteHistory::load(Loaded done)
{
    QPointer<SqliteHistory> self(this);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, self, done] {
        QString error;
        const QList<core::PullJob> jobs = worker->load(&error);
        if (self)
            QMetaObject::invokeMethod(self, [done, jobs, error] { done(jobs, error); });
    });
}

void SqliteHistory::record(const core::PullJob &job)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, job] { worker->write({job}); });
}

void SqliteHistory::flush()
{
    if (!m_thread.isRunning())
        return;
    // Everything queued before this runs first; wait for it (shutdown only).
    QMetaObject::invokeMethod(m_worker, [] {}, Qt::BlockingQueuedConnection);
}

void SqliteHistory::add(const core::Notification &n, std::function<void(bool)> done)
{
    QPointer<SqliteHistory> self(this);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, self, n, done] {
        const bool added = worker->addNotification(n);
        if (self)
            QMetaObject::invokeMethod(self, [done, added] { done(added); });
    });
}

void SqliteHistory::pending(std::function<void(const QList<core::Notification> &)> done)
{
    QPointer<SqliteHistory> self(this);
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, self, done] {
        const QList<core::Notification> all = worker->notifications();
        if (self)
            QMetaObject::invokeMethod(self, [done, all] { done(all); });
    });
}

void SqliteHistory::lease(const core::Notification &n, int, Leased done)
{
    QMetaObject::invokeMethod(this, [done, n] { done(Lease::Mine, n); }, Qt::QueuedConnection);
}

void SqliteHistory::update(const core::Notification &n)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, n] { worker->saveNotification(n); });
}

void SqliteHistory::remove(const QString &key)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, key] { worker->removeNotification(key); });
}

} // namespace pw::pulls

#include "sqlitehistory.moc"
