#pragma once

#include "core/pulljob.h"

#include <QWidget>

#include <optional>

class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTextBrowser;

namespace pw::ui {

class FailedPullsModel;

// Failed pulls: the table (image, tag, reason, time) and the selected pull's details
// (message, reason, events, both log tails), with Retry.
class FailedPullsView : public QWidget {
    Q_OBJECT
public:
    FailedPullsView(FailedPullsModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QSplitter *splitter() const { return m_splitter; }
    QTextBrowser *details() const { return m_details; }
    QString selectedJobId() const;
    bool selectJob(const QString &jobId);
    // The full detail of a pull arrived (GET /images/pull/{id}); shown if it is selected.
    void showDetail(const core::PullJob &pull);
    QString shownJobId() const { return m_shown; }
    // The pull of a row of the table (a view index), if any.
    std::optional<core::PullJob> pullAt(const QModelIndex &index) const;
    // A viewer (docs/architecture.md §6) does not see Retry.
    void setCanOperate(bool canOperate);

Q_SIGNALS:
    void detailWanted(const QString &jobId);
    void retryRequested(const QString &jobId);

private:
    void onSelection();

    FailedPullsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QTextBrowser *m_details;
    QSplitter *m_splitter;
    QPushButton *m_retry;
    QString m_shown;
};

} // namespace pw::ui
