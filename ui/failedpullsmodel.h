#pragma once

#include "core/pulljob.h"

#include <QAbstractTableModel>
#include <QList>

namespace pw::ui {

// Failed pulls, newest first, as /images/pull-failed lists them. A new list is merged row by
// row (insert, move, remove, change) so the selection survives a refresh. HistoryModel shows
// other columns of the same kind of list.
class FailedPullsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Image, Tag, Reason, Time, ColumnCount };
    enum Role { RawRole = Qt::UserRole + 1, JobIdRole };

    explicit FailedPullsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void setPulls(const QList<core::PullJob> &pulls);
    int rowOf(const QString &jobId) const;
    const core::PullJob &pullAt(int row) const { return m_pulls[row]; }

private:
    QList<core::PullJob> m_pulls;
};

} // namespace pw::ui
