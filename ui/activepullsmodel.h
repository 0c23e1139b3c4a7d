#pragma once

#include "core/pulljob.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace pw::ui {

// Pulls in progress, one row per pull, kept up to date from snapshots (REST) and status
// messages (WebSocket). A pull that finished stays a short while with its final status
// (so a user sees "completed"), then goes.
class ActivePullsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Image, Tag, Message, Progress, Age, Node, ColumnCount };
    enum Role {
        RawRole = Qt::UserRole + 1, // sortable raw value of the column
        JobIdRole,
        StatusRole, // PullStatus as int
    };

    explicit ActivePullsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The full list of active pulls. Rows not in it and not yet finished are returned: the
    // caller asks how they ended (their rows go after the linger time in any case).
    QStringList applySnapshot(const QList<core::PullJob> &pulls, const QDateTime &now);
    // One pull changed; fields the update leaves empty keep their value.
    void upsert(const core::PullJob &pull, const QDateTime &now);
    // Removes rows that finished (or vanished) longer than the linger time ago.
    void expire(const QDateTime &now);
    void setLingerMs(int ms) { m_lingerMs = ms; }

    int rowOf(const QString &jobId) const;
    const core::PullJob &pullAt(int row) const { return m_rows[row].pull; }
    QList<core::PullJob> pulls() const;
    // Age is shown relative to this time; refreshed by the view's timer.
    void setNow(const QDateTime &now);

Q_SIGNALS:
    // A row reached completed or failed (once per pull).
    void pullFinished(const core::PullJob &pull);

private:
    struct Row {
        core::PullJob pull;
        QDateTime goneSince; // finished or vanished at; null while active
    };
    static void merge(core::PullJob *into, const core::PullJob &update);
    void insertRow(const core::PullJob &pull, const QDateTime &now);
    void removeAt(int row);

    QList<Row> m_rows;
    QDateTime m_now;
    int m_lingerMs = 4000;
};

} // namespace pw::ui
