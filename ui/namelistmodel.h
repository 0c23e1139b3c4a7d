#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace pw::ui {

// A short list of names to choose from (namespaces, pods or jobs, containers), each with an
// optional note ("init", "Running") shown after it. Replaced as a whole.
class NameListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1, NoteRole };
    struct Item {
        QString name;
        QString note;
        bool operator==(const Item &o) const { return name == o.name && note == o.note; }
    };

    explicit NameListModel(QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setItems(const QList<Item> &items);
    void setNames(const QStringList &names);
    QList<Item> items() const { return m_items; }
    QString nameAt(int row) const;
    int rowOf(const QString &name) const;

private:
    QList<Item> m_items;
};

} // namespace pw::ui
