#include "historymodel.h"

#include "pullformat.h"

#include <QColor>

namespace pw::ui {

HistoryModel::HistoryModel(QObject *parent)
    : FailedPullsModel(parent) {}

int HistoryModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

double HistoryModel::durationSeconds(const core::PullJob &p) {
    if (!p.createdAt.isValid() || !p.finishedAt.isValid())
        return -1;
    return double(p.createdAt.msecsTo(p.finishedAt)) / 1000.0;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::PullJob &p = pullAt(index.row());
    if (role == JobIdRole)
        return p.id;
    if (role == Qt::ToolTipRole)
        return p.message;
    if (role == Qt::ForegroundRole && index.column() == Status && p.status == core::PullStatus::Failed)
        return QColor(0xb0, 0x3a, 0x2e);
    if (role != Qt::DisplayRole && role != RawRole)
        return {};
    const bool raw = role == RawRole;
    const double seconds = durationSeconds(p);
    switch (index.column()) {
    case Image:
        return p.imageName;
    case Tag:
        return p.tag;
    case Status:
        return core::PullStates::toString(p.status);
    case Reason:
        return p.reason == core::FailureReason::None ? QString() : core::PullStates::toString(p.reason);
    case Duration:
        if (raw)
            return seconds;
        return seconds < 0 ? QString() : PullFormat::age(p.createdAt, p.finishedAt);
    case Finished:
        if (raw)
            return p.finishedAt.isValid() ? p.finishedAt.toMSecsSinceEpoch() : qint64(0);
        return PullFormat::time(p.finishedAt);
    case Target:
        return p.target;
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char *const titles[ColumnCount] = {
        QT_TR_NOOP("Image"),        QT_TR_NOOP("Tag"),      QT_TR_NOOP("Status"),
        QT_TR_NOOP("Reason"),       QT_TR_NOOP("Duration"), QT_TR_NOOP("Finished"),
        QT_TR_NOOP("Harbor target")};
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return tr(titles[section]);
}

} // namespace pw::ui
