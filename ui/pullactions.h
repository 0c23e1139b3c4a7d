#pragma once

#include "core/pulljob.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

class QAbstractItemView;
class QMenu;
class QModelIndex;
class QWidget;

namespace pw::ui {

// What a pull row offers in every table (active, failed, history): double-click or L opens its
// logs; the context menu has View logs, Retry, Cancel, Copy image and Copy Harbor target.
// One menu for all tables, so they cannot drift apart.
class PullActions : public QObject {
    Q_OBJECT
public:
    using PullAt = std::function<std::optional<core::PullJob>(const QModelIndex &index)>;
    explicit PullActions(QObject *parent = nullptr);

    // Double-click and context menu on `view`; `pullAt` maps one of its indexes to its pull.
    void attach(QAbstractItemView *view, PullAt pullAt);
    // The context menu for `pull` (the caller owns it); actions that do not apply are disabled.
    QMenu *menuFor(const core::PullJob &pull, QWidget *parent);
    // A viewer (docs/architecture.md §6) may not retry or cancel: those stay disabled.
    void setCanOperate(bool canOperate) { m_canOperate = canOperate; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void viewLogsRequested(const core::PullJob &pull);
    void retryRequested(const QString &jobId);
    void cancelRequested(const QString &jobId);

private:
    bool m_canOperate = true;
    QHash<QAbstractItemView *, PullAt> m_views; // attached, for their L key
};

} // namespace pw::ui
