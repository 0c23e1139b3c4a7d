#include "failedpullsmodel.h"

#include "pullformat.h"

#include <QSet>

namespace pw::ui {

FailedPullsModel::FailedPullsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int FailedPullsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_pulls.size());
}

int FailedPullsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailedPullsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::PullJob &p = m_pulls[index.row()];
    const QDateTime when = p.finishedAt.isValid() ? p.finishedAt : p.updatedAt;
    switch (role) {
    case JobIdRole:
        return p.id;
    case Qt::ToolTipRole:
        return p.message;
    case RawRole:
        switch (index.column()) {
        case Image:
            return p.imageName;
        case Tag:
            return p.tag;
        case Reason:
            return core::PullStates::toString(p.reason);
        case Time:
            return when.isValid() ? when.toMSecsSinceEpoch() : qint64(0);
        }
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Image:
            return p.imageName;
        case Tag:
            return p.tag;
        case Reason:
            return core::PullStates::toString(p.reason);
        case Time:
            return PullFormat::time(when);
        }
        return {};
    default:
        return {};
    }
}

QVariant FailedPullsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Image:
        return tr("Image");
    case Tag:
        return tr("Tag");
    case Reason:
        return tr("Reason");
    case Time:
        return tr("Time");
    }
    return {};
}

int FailedPullsModel::rowOf(const QString &jobId) const {
    for (int i = 0; i < m_pulls.size(); ++i)
        if (m_pulls[i].id == jobId)
            return i;
    return -1;
}

void FailedPullsModel::setPulls(const QList<core::PullJob> &pulls) {
    QSet<QString> wanted;
    for (const core::PullJob &p : pulls)
        wanted.insert(p.id);
    for (int i = int(m_pulls.size()) - 1; i >= 0; --i) {
        if (!wanted.contains(m_pulls[i].id)) {
            beginRemoveRows({}, i, i);
            m_pulls.removeAt(i);
            endRemoveRows();
        }
    }
    QSet<QString> seen;
    for (int i = 0; i < pulls.size(); ++i) {
        const core::PullJob &p = pulls[i];
        if (seen.contains(p.id))
            continue; // a duplicate id in one answer: keep the first
        seen.insert(p.id);
        const int row = int(seen.size()) - 1;
        const int at = rowOf(p.id);
        if (at == row) {
            if (m_pulls[row] != p) {
                m_pulls[row] = p;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
        } else if (at > row) {
            beginMoveRows({}, at, at, {}, row);
            m_pulls.move(at, row);
            endMoveRows();
            m_pulls[row] = p;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else {
            beginInsertRows({}, row, row);
            m_pulls.insert(row, p);
            endInsertRows();
        }
    }
}

} // namespace pw::ui
