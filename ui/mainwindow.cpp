#include "mainwindow.h"

#include "activepullsmodel.h"
#include "activepullsview.h"
#include "apiclient.h"
#include "connectionbanner.h"
#include "dashboardview.h"
#include "failedpullsmodel.h"
#include "failedpullsview.h"
#include "logview.h"
#include "pulldialog.h"
#include "statusindicators.h"
#include "traynotifier.h"

#include <QAction>
#include <QCloseEvent>
#include <QDateTime>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

MainWindow::MainWindow(const QUrl &backend, const QString &token, QWidget *parent)
    : QMainWindow(parent)
    , m_client(new ApiClient(backend, token, this))
    , m_activeModel(new ActivePullsModel(this))
    , m_failedModel(new FailedPullsModel(this)) {
    setWindowTitle(tr("Pullwatch — %1").arg(backend.toDisplayString(QUrl::RemoveUserInfo)));
    m_notifier = new TrayNotifier(this);
    m_indicators = new StatusIndicators(statusBar(), backend, this);
    buildTabs();
    buildMenus();
    connectClient();
    restoreSettings();
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &MainWindow::tick);
    m_tick.start();
    m_client->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildTabs() {
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_banner = new ConnectionBanner(central);
    layout->addWidget(m_banner);
    m_tabs = new QTabWidget(central);
    m_tabs->setDocumentMode(true);
    m_activeView = new ActivePullsView(m_activeModel, m_tabs);
    m_failedView = new FailedPullsView(m_failedModel, m_tabs);
    m_logView = new LogView(m_client, m_tabs);
    m_dashboard = new DashboardView(m_tabs);
    m_tabs->addTab(m_activeView, tr("&Active pulls"));
    m_tabs->addTab(m_failedView, tr("F&ailed pulls"));
    m_tabs->addTab(m_logView, tr("&Logs"));
    m_tabs->addTab(m_dashboard, tr("&Dashboard"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
}

QAction *MainWindow::addShortcut(QMenu *menu, const QString &text, const QKeySequence &keys,
                                 std::function<void()> slot) {
    QAction *a = menu->addAction(text);
    a->setShortcut(keys);
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, this, [slot = std::move(slot)] { slot(); });
    return a;
}

void MainWindow::buildMenus() {
    buildFileMenu();
    buildViewMenu();
    buildPullsMenu();
    buildLogsMenu();
    buildSettingsMenu();
}

void MainWindow::buildFileMenu() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_operatorActions << addShortcut(file, tr("&Pull images…"), QKeySequence(Qt::CTRL | Qt::Key_N),
                                     [this] { openPullDialog(); });
    file->addSeparator();
    addShortcut(file, tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), [this] { close(); });
}

void MainWindow::buildViewMenu() {
    QMenu *view = menuBar()->addMenu(tr("&View"));
    addShortcut(view, tr("Active pulls"), QKeySequence(Qt::CTRL | Qt::Key_1),
                [this] { showTab(ActiveTab); });
    addShortcut(view, tr("Failed pulls"), QKeySequence(Qt::CTRL | Qt::Key_2),
                [this] { showTab(FailedTab); });
    addShortcut(view, tr("Logs"), QKeySequence(Qt::CTRL | Qt::Key_3), [this] { showTab(LogsTab); });
    addShortcut(view, tr("Dashboard"), QKeySequence(Qt::CTRL | Qt::Key_4),
                [this] { showTab(DashboardTab); });
    view->addSeparator();
    addShortcut(view, tr("&Refresh"), QKeySequence(Qt::Key_F5), [this] {
        m_client->refreshActive();
        m_client->refreshFailed();
        m_client->fetchMetrics();
    });
    addShortcut(view, tr("&Filter active pulls"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                [this] {
                    showTab(ActiveTab);
                    m_activeView->focusFilter();
                });
}

void MainWindow::buildPullsMenu() {
    QMenu *pulls = menuBar()->addMenu(tr("&Pulls"));
    m_operatorActions << addShortcut(pulls, tr("&Cancel selected pull…"),
                                     QKeySequence(Qt::Key_Delete), [this] {
                                         if (m_tabs->currentIndex() == ActiveTab)
                                             m_activeView->cancelSelected();
                                     });
    m_operatorActions << addShortcut(pulls, tr("&Retry selected failed pull"),
                                     QKeySequence(Qt::CTRL | Qt::Key_R), [this] {
                                         const QString id = m_failedView->selectedJobId();
                                         if (!id.isEmpty())
                                             m_client->retryPull(id);
                                     });
}

void MainWindow::buildLogsMenu() {
    QMenu *logs = menuBar()->addMenu(tr("&Logs"));
    addShortcut(logs, tr("&Find…"), QKeySequence::Find, [this] {
        showTab(LogsTab);
        m_logView->focusSearch();
    });
    addShortcut(logs, tr("Find &next"), QKeySequence(Qt::Key_F3), [this] { m_logView->findNext(); });
    addShortcut(logs, tr("Find &previous"), QKeySequence(Qt::SHIFT | Qt::Key_F3),
                [this] { m_logView->findNext(true); });
    addShortcut(logs, tr("&Pause / resume"), QKeySequence(Qt::CTRL | Qt::Key_P),
                [this] { m_logView->setPaused(!m_logView->isPaused()); });
    addShortcut(logs, tr("&Clear"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] { m_logView->clear(); });
}

void MainWindow::buildSettingsMenu() {
    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    QAction *completed = settings->addAction(tr("Notify when a pull &completes"));
    completed->setCheckable(true);
    completed->setChecked(m_notifier->notifyCompleted());
    connect(completed, &QAction::toggled, m_notifier, &TrayNotifier::setNotifyCompleted);
    QAction *failed = settings->addAction(tr("Notify when a pull &fails"));
    failed->setCheckable(true);
    failed->setChecked(m_notifier->notifyFailed());
    connect(failed, &QAction::toggled, m_notifier, &TrayNotifier::setNotifyFailed);
    if (!m_notifier->trayAvailable()) {
        completed->setToolTip(tr("No system tray here"));
        failed->setToolTip(tr("No system tray here"));
    }
}

// The connection's state and metrics, then the rest.
void MainWindow::connectClient() {
    connect(m_client, &ApiClient::stateChanged, this,
            [this](ApiClient::State state, const QString &detail) {
                m_indicators->setConnection(state);
                if (state == ApiClient::State::Unreachable)
                    m_banner->showProblem(m_client->baseUrl().toDisplayString(QUrl::RemoveUserInfo),
                                          detail);
                else
                    m_banner->hide();
            });
    connect(m_banner, &ConnectionBanner::retryRequested, m_client,
            [this] { m_client->refreshActive(); });
    connect(m_client, &ApiClient::liveUpdatesChanged, m_indicators, &StatusIndicators::setLive);
    connect(m_client, &ApiClient::metricsReceived, this, [this](const MetricsSnapshot &m) {
        m_indicators->setMetrics(m);
        m_dashboard->addMetrics(m, QDateTime::currentMSecsSinceEpoch());
    });
    connectPullLists();
    connectMessages();
    connectViews();
}

// The models follow the server's lists and live updates.
void MainWindow::connectPullLists() {
    connect(m_client, &ApiClient::activePullsReceived, this, [this](const QList<PullJob> &pulls) {
        // Pulls that left the list: ask how they ended, so the row shows it before it goes.
        for (const QString &id :
             m_activeModel->applySnapshot(pulls, QDateTime::currentDateTimeUtc()))
            m_client->fetchPull(id);
    });
    connect(m_client, &ApiClient::pullUpdated, this, [this](const PullJob &pull) {
        m_activeModel->upsert(pull, QDateTime::currentDateTimeUtc());
    });
    connect(m_client, &ApiClient::pullDetailReceived, this, [this](const PullJob &pull) {
        if (m_activeModel->rowOf(pull.id) >= 0)
            m_activeModel->upsert(pull, QDateTime::currentDateTimeUtc());
        m_failedView->showDetail(pull);
    });
    connect(m_client, &ApiClient::failedPullsReceived, m_failedModel, &FailedPullsModel::setPulls);
    connect(m_client, &ApiClient::pullsChanged, m_client, &ApiClient::refreshFailed);
    connect(m_activeModel, &ActivePullsModel::pullFinished, this, [this](const PullJob &pull) {
        m_notifier->notify(pull);
        if (pull.status == PullStatus::Failed)
            m_client->refreshFailed();
    });
}

// What the server did with a request, in the status bar.
void MainWindow::connectMessages() {
    connect(m_client, &ApiClient::pullsStarted, this, [this](const QStringList &ids) {
        statusBar()->showMessage(tr("Started %n pull(s): %1", nullptr, int(ids.size()))
                                     .arg(ids.join(QStringLiteral(", "))),
                                 8000);
    });
    connect(m_client, &ApiClient::pullRetried, this,
            [this](const QString &id, const QString &newId) {
                statusBar()->showMessage(tr("Retrying %1 as %2").arg(id, newId), 8000);
            });
    // docs/architecture.md §6: a viewer's credential may read but not start, retry or cancel.
    connect(m_client, &ApiClient::canOperateChanged, this, [this](bool canOperate) {
        for (QAction *action : std::as_const(m_operatorActions))
            action->setEnabled(canOperate);
        m_activeView->setCanOperate(canOperate);
        m_failedView->setCanOperate(canOperate);
        if (!canOperate)
            statusBar()->showMessage(
                tr("Read only: this sign-in may not start, retry or cancel pulls"));
    });
    connect(m_client, &ApiClient::pullCancelled, this, [this](const QString &id) {
        statusBar()->showMessage(tr("Cancelled %1").arg(id), 8000);
    });
    connect(m_client, &ApiClient::requestFailed, this,
            [this](const QString &what, const QString &error) {
                statusBar()->showMessage(tr("%1 failed: %2").arg(what, error), 10000);
            });
}

// What the views and the tray ask for.
void MainWindow::connectViews() {
    connect(m_activeView, &ActivePullsView::cancelRequested, m_client, &ApiClient::cancelPull);
    connect(m_activeView, &ActivePullsView::pullRequested, this, [this] { openPullDialog(); });
    connect(m_failedView, &FailedPullsView::detailWanted, m_client, &ApiClient::fetchPull);
    connect(m_failedView, &FailedPullsView::retryRequested, m_client, &ApiClient::retryPull);
    connect(m_notifier, &TrayNotifier::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
}

PullDialog *MainWindow::openPullDialog() {
    auto *dialog = new PullDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_client->startPulls(dialog->references());
        showTab(ActiveTab);
    });
    dialog->open();
    return dialog;
}

void MainWindow::showTab(Tab tab) {
    m_tabs->setCurrentIndex(int(tab));
}

void MainWindow::tick() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_activeModel->expire(now);
    m_activeModel->setNow(now);
    const qint64 ms = now.toMSecsSinceEpoch();
    m_dashboard->addLogLines(m_logView->takeReceivedCount(), ms);
    if (m_tabs->currentWidget() == m_dashboard)
        m_dashboard->redraw(ms);
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 760);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_failedView->splitter()->restoreState(
        s.value(QStringLiteral("window/failedSplitter")).toByteArray());
    m_tabs->setCurrentIndex(s.value(QStringLiteral("window/tab"), 0).toInt());
    m_logView->setCapacity(s.value(QStringLiteral("logs/capacity"), 100'000).toInt());
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/failedSplitter"), m_failedView->splitter()->saveState());
    s.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event) {
    saveSettings();
    QMainWindow::closeEvent(event);
}
