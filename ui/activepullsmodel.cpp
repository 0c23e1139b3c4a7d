#include "activepullsmodel.h"

#include "pullformat.h"

#include <QSet>

namespace pw::ui {

ActivePullsModel::ActivePullsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(QDateTime::currentDateTimeUtc()) {}

int ActivePullsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ActivePullsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivePullsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::PullJob &p = m_rows[index.row()].pull;
    if (role == JobIdRole)
        return p.id;
    if (role == StatusRole)
        return int(p.status);
    if (role == Qt::ToolTipRole)
        return PullFormat::tooltip(p);
    const int column = index.column();
    if (role == RawRole) {
        switch (column) {
        case Image:
            return p.imageName;
        case Tag:
            return p.tag;
        case Message:
            return p.message;
        case Progress:
            return p.progress;
        case Age:
            return p.createdAt.isValid() ? p.createdAt.toMSecsSinceEpoch() : qint64(0);
        case Node:
            return p.node;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Image:
            return p.imageName;
        case Tag:
            return p.tag;
        case Message:
            return p.message.isEmpty() ? core::PullStates::toString(p.stage) : p.message;
        case Progress:
            return p.progress;
        case Age:
            return PullFormat::age(p.createdAt, m_now);
        case Node:
            return p.node;
        }
    }
    if (role == Qt::TextAlignmentRole && column == Age)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ActivePullsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Image:
        return tr("Image");
    case Tag:
        return tr("Tag");
    case Message:
        return tr("Stage");
    case Progress:
        return tr("Progress");
    case Age:
        return tr("Age");
    case Node:
        return tr("Node");
    }
    return {};
}

int ActivePullsModel::rowOf(const QString &jobId) const {
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].pull.id == jobId)
            return i;
    return -1;
}

QList<core::PullJob> ActivePullsModel::pulls() const {
    QList<core::PullJob> out;
    for (const Row &r : m_rows)
        out.append(r.pull);
    return out;
}

void ActivePullsModel::merge(core::PullJob *into, const core::PullJob &u) {
    core::PullJob merged = u;
    auto keep = [](QString &field, const QString &old) {
        if (field.isEmpty())
            field = old;
    };
    keep(merged.imageName, into->imageName);
    keep(merged.tag, into->tag);
    keep(merged.source, into->source);
    keep(merged.target, into->target);
    keep(merged.namespaceName, into->namespaceName);
    keep(merged.podName, into->podName);
    keep(merged.node, into->node);
    if (!merged.createdAt.isValid())
        merged.createdAt = into->createdAt;
    *into = merged;
}

void ActivePullsModel::insertRow(const core::PullJob &pull, const QDateTime &now) {
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({pull, pull.isTerminal() ? now : QDateTime()});
    endInsertRows();
    if (pull.isTerminal())
        Q_EMIT pullFinished(pull);
}

void ActivePullsModel::removeAt(int row) {
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void ActivePullsModel::upsert(const core::PullJob &pull, const QDateTime &now) {
    if (pull.id.isEmpty())
        return;
    const int row = rowOf(pull.id);
    if (row < 0) {
        // A finished pull we never saw active is not news for this table.
        if (!pull.isTerminal())
            insertRow(pull, now);
        return;
    }
    Row &r = m_rows[row];
    const bool wasTerminal = r.pull.isTerminal();
    if (wasTerminal && !pull.isTerminal())
        return; // late news from before the end
    const core::PullJob before = r.pull;
    merge(&r.pull, pull);
    if (r.pull.isTerminal() && !wasTerminal)
        r.goneSince = now;
    else if (!r.pull.isTerminal())
        r.goneSince = QDateTime();
    if (r.pull != before)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (r.pull.isTerminal() && !wasTerminal)
        Q_EMIT pullFinished(r.pull);
}

QStringList ActivePullsModel::applySnapshot(const QList<core::PullJob> &pulls,
                                            const QDateTime &now) {
    QSet<QString> present;
    for (const core::PullJob &p : pulls) {
        present.insert(p.id);
        upsert(p, now);
    }
    QStringList vanished;
    for (Row &r : m_rows) {
        if (present.contains(r.pull.id) || r.pull.isTerminal())
            continue;
        if (r.goneSince.isNull()) {
            r.goneSince = now;
            vanished.append(r.pull.id);
        }
    }
    return vanished;
}

void ActivePullsModel::expire(const QDateTime &now) {
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const QDateTime &gone = m_rows[i].goneSince;
        if (gone.isValid() && gone.msecsTo(now) >= m_lingerMs)
            removeAt(i);
    }
}

void ActivePullsModel::setNow(const QDateTime &now) {
    m_now = now;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Age), index(int(m_rows.size()) - 1, Age), {Qt::DisplayRole});
}

} // namespace pw::ui
