#include "namelistmodel.h"

namespace pw::ui {

NameListModel::NameListModel(QObject *parent)
    : QAbstractListModel(parent) {}

int NameListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant NameListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return item.note.isEmpty() ? item.name
                                   : QStringLiteral("%1 (%2)").arg(item.name, item.note);
    case Qt::EditRole:
    case NameRole:
        return item.name;
    case NoteRole:
        return item.note;
    default:
        return {};
    }
}

void NameListModel::setItems(const QList<Item> &items) {
    if (items == m_items)
        return;
    beginResetModel();
    m_items = items;
    endResetModel();
}

void NameListModel::setNames(const QStringList &names) {
    QList<Item> items;
    for (const QString &n : names)
        items.append({n, QString()});
    setItems(items);
}

QString NameListModel::nameAt(int row) const {
    return row >= 0 && row < m_items.size() ? m_items[row].name : QString();
}

int NameListModel::rowOf(const QString &name) const {
    for (int i = 0; i < m_items.size(); ++i)
        if (m_items[i].name == name)
            return i;
    return -1;
}

} // namespace pw::ui
