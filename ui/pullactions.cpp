#include "pullactions.h"

#include <QAbstractItemView>
#include <QAction>
#include <QKeyEvent>
#include <QClipboard>
#include <QGuiApplication>
#include <QMenu>

namespace pw::ui {

PullActions::PullActions(QObject *parent)
    : QObject(parent) {}

void PullActions::attach(QAbstractItemView *view, PullAt pullAt) {
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    // L on the current row: its logs (as in k9s), before the view's type-ahead search.
    m_views.insert(view, pullAt);
    view->installEventFilter(this);
    connect(view, &QObject::destroyed, this, [this, view] { m_views.remove(view); });
    connect(view, &QAbstractItemView::doubleClicked, this,
            [this, pullAt](const QModelIndex &index) {
                if (const auto pull = pullAt(index))
                    Q_EMIT viewLogsRequested(*pull);
            });
    connect(view, &QWidget::customContextMenuRequested, this,
            [this, view, pullAt](const QPoint &at) {
                const auto pull = pullAt(view->indexAt(at));
                if (!pull)
                    return;
                QMenu *menu = menuFor(*pull, view);
                menu->setAttribute(Qt::WA_DeleteOnClose);
                menu->popup(view->viewport()->mapToGlobal(at));
            });
}

bool PullActions::eventFilter(QObject *watched, QEvent *event) {
    if (event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const auto it = m_views.constFind(static_cast<QAbstractItemView *>(watched));
    if (it == m_views.cend() || key->key() != Qt::Key_L ||
        (key->modifiers() & ~Qt::KeypadModifier) != Qt::NoModifier)
        return QObject::eventFilter(watched, event);
    if (const auto pull = (*it)(it.key()->currentIndex()))
        Q_EMIT viewLogsRequested(*pull);
    return true;
}

QMenu *PullActions::menuFor(const core::PullJob &pull, QWidget *parent) {
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("pullMenu"));
    QAction *logs =
        menu->addAction(tr("View &logs"), this, [this, pull] { Q_EMIT viewLogsRequested(pull); });
    logs->setShortcut(QKeySequence(Qt::Key_L)); // shown in the menu; the view's action acts
    menu->setDefaultAction(logs);
    logs->setEnabled(!pull.id.isEmpty() && !pull.namespaceName.isEmpty());
    menu->addSeparator();
    QAction *retry =
        menu->addAction(tr("&Retry"), this, [this, id = pull.id] { Q_EMIT retryRequested(id); });
    retry->setEnabled(m_canOperate && pull.status == core::PullStatus::Failed);
    QAction *cancel =
        menu->addAction(tr("&Cancel…"), this, [this, id = pull.id] { Q_EMIT cancelRequested(id); });
    cancel->setEnabled(m_canOperate && !pull.isTerminal());
    menu->addSeparator();
    const QString image = pull.imageReference();
    menu->addAction(tr("Copy &image"), this,
                    [image] { QGuiApplication::clipboard()->setText(image); });
    QAction *target = menu->addAction(tr("Copy &Harbor target"), this, [t = pull.target] {
        QGuiApplication::clipboard()->setText(t);
    });
    target->setEnabled(!pull.target.isEmpty());
    return menu;
}

} // namespace pw::ui
