#pragma once

#include "core/pulljob.h"

#include <QDateTime>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace pw::ui {

class HistoryModel;

// The History tab: finished pulls, completed and failed, newest first, with duration and
// Harbor target; a status filter and "Load more" (the next page of /images/pull-history).
class HistoryView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kPageSize = 100;
    HistoryView(HistoryModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QComboBox *statusBox() const { return m_status; }
    QPushButton *moreButton() const { return m_more; }
    // "all", "completed" or "failed", as the API takes it.
    QString status() const;
    std::optional<core::PullJob> pullAt(const QModelIndex &index) const;
    // A page arrived for `status`: the first replaces the list, later ones extend it.
    void showPage(const QString &status, const QList<core::PullJob> &pulls, bool firstPage);
    // Asks for the first page again (the list changed, or the tab was opened).
    void refresh();

Q_SIGNALS:
    // last: empty for the first page, else the oldest pull shown (the paging cursor).
    void pageWanted(const QString &status, const core::PullJob &last);

private:
    HistoryModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QComboBox *m_status;
    QPushButton *m_more;
    QLabel *m_count;
};

} // namespace pw::ui
