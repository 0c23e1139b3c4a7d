#pragma once

#include "failedpullsmodel.h"

namespace pw::ui {

// Finished pulls, completed and failed, newest first, as /images/pull-history pages them:
// the failed list's rows (merged the same way) with the history's columns.
class HistoryModel : public FailedPullsModel {
    Q_OBJECT
public:
    enum Column { Image, Tag, Status, Reason, Duration, Finished, Target, ColumnCount };

    explicit HistoryModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // How long a pull took, from creation to its end (seconds; -1 when unknown).
    static double durationSeconds(const core::PullJob &pull);
};

} // namespace pw::ui
