#pragma once

#include "core/pulljob.h"

#include <QWidget>

#include <optional>

#include <functional>

class QLineEdit;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace pw::ui {

class ActivePullsModel;

// The active pulls table: sortable, filtered by text, progress drawn by a delegate, Cancel
// with confirmation.
class ActivePullsView : public QWidget {
    Q_OBJECT
public:
    using Confirm = std::function<bool(const QString &question)>;
    ActivePullsView(ActivePullsModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    void setFilterText(const QString &text);
    QString selectedJobId() const;
    // Asks (through the confirmation function, a message box by default), then emits.
    void cancelSelected();
    // Asks, then emits cancelRequested for `jobId`.
    void cancelPull(const QString &jobId);
    // The pull of a row of the table (a view index), if any.
    std::optional<core::PullJob> pullAt(const QModelIndex &index) const;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    void focusFilter();
    // A viewer (docs/architecture.md §6) sees neither "Pull images…" nor "Cancel pull".
    void setCanOperate(bool canOperate);
    bool canOperate() const { return m_canOperate; }

Q_SIGNALS:
    void cancelRequested(const QString &jobId);
    void pullRequested(); // the "Pull images…" button

private:
    ActivePullsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QPushButton *m_cancel;
    QPushButton *m_pull;
    Confirm m_confirm;
    bool m_canOperate = true;
};

} // namespace pw::ui
