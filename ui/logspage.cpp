#include "logspage.h"

#include "logselector.h"
#include "logview.h"

#include <QLabel>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace pw::ui {

LogsPage::LogsPage(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_selector(new LogSelector(client, this))
    , m_tabs(new QTabWidget(this))
    , m_hint(new QLabel(this)) {
    m_tabs->setObjectName(QStringLiteral("logTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->tabBar()->setExpanding(false);
    m_hint->setText(tr("Choose a pod, a Job or a label selector above and press Follow (or "
                       "All containers); each followed target opens in a tab of its own. "
                       "From the pulls tables, L or View logs opens a pull's logs."));
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_selector);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_hint, 1);
    m_tabs->hide();

    connect(m_selector, &LogSelector::followRequested, this, &LogsPage::open);
    connect(m_selector, &LogSelector::stopRequested, this, [this] {
        if (LogView *view = current())
            view->stop();
    });
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &LogsPage::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this, &LogsPage::onCurrentChanged);
}

int LogsPage::count() const {
    return m_tabs->count();
}

LogView *LogsPage::viewAt(int index) const {
    return qobject_cast<LogView *>(m_tabs->widget(index));
}

LogView *LogsPage::current() const {
    return qobject_cast<LogView *>(m_tabs->currentWidget());
}

LogView *LogsPage::find(const LogTarget &target) const {
    const QString key = target.key();
    for (int i = 0; i < m_tabs->count(); ++i)
        if (viewAt(i)->target().key() == key)
            return viewAt(i);
    return nullptr;
}

LogView *LogsPage::open(const LogTarget &target) {
    if (!target.isValid())
        return nullptr;
    if (LogView *view = find(target)) {
        m_tabs->setCurrentWidget(view);
        if (!view->stream()) // stopped: following it again starts it again
            view->follow(target);
        return view;
    }
    auto *view = new LogView(m_client, m_tabs);
    view->setCapacity(m_capacity);
    connect(view, &LogView::linesAppended, this,
            [this, view](qint64 lines) { onLinesAppended(view, lines); });
    m_unread.insert(view, 0);
    view->follow(target); // first: the tab's title reads the view's target
    const int index = m_tabs->addTab(view, titleFor(target));
    m_tabs->setTabToolTip(index, target.describe());
    m_tabs->show();
    m_hint->hide();
    m_tabs->setCurrentIndex(index);
    return view;
}

void LogsPage::closeTab(int index) {
    LogView *view = viewAt(index);
    if (!view)
        return;
    view->stop();
    m_closedReceived += view->takeReceivedCount();
    m_unread.remove(view);
    m_tabs->removeTab(index);
    view->deleteLater();
    if (m_tabs->count() == 0) {
        m_tabs->hide();
        m_hint->show();
    }
}

qint64 LogsPage::unreadAt(int index) const {
    return m_unread.value(viewAt(index), 0);
}

QString LogsPage::titleFor(const LogTarget &target) {
    QString title = target.subject();
    if (target.container == QStringLiteral("*"))
        title += tr(" [all]");
    else if (!target.container.isEmpty())
        title += QStringLiteral(" [%1]").arg(target.container);
    if (target.previous)
        title += tr(" (previous)");
    return title;
}

void LogsPage::onLinesAppended(LogView *view, qint64 lines) {
    if (view == current())
        return;
    m_unread[view] += lines;
    updateTitle(view);
}

void LogsPage::updateTitle(LogView *view) {
    const int index = m_tabs->indexOf(view);
    if (index < 0)
        return;
    const qint64 unread = m_unread.value(view, 0);
    const QString title = titleFor(view->target());
    m_tabs->setTabText(index, unread > 0 ? tr("%1 (%2)").arg(title).arg(unread) : title);
}

void LogsPage::onCurrentChanged() {
    if (LogView *view = current()) {
        m_unread[view] = 0;
        updateTitle(view);
    }
}

void LogsPage::setCapacity(int lines) {
    m_capacity = lines;
    for (int i = 0; i < m_tabs->count(); ++i)
        viewAt(i)->setCapacity(lines);
}

qint64 LogsPage::takeReceivedCount() {
    qint64 n = m_closedReceived;
    m_closedReceived = 0;
    for (int i = 0; i < m_tabs->count(); ++i)
        n += viewAt(i)->takeReceivedCount();
    return n;
}

} // namespace pw::ui
