#include "mainwindow.h"

#include "activepullsmodel.h"
#include "activepullsview.h"
#include "apiclient.h"
#include "connectionbanner.h"
#include "connectionproblem.h"
#include "dashboardview.h"
#include "failedpullsmodel.h"
#include "failedpullsview.h"
#include "historymodel.h"
#include "historyview.h"
#include "logselector.h"
#include "logspage.h"
#include "logview.h"
#include "pullactions.h"
#include "pulldialog.h"
#include "shortcutsdialog.h"
#include "statusindicators.h"
#include "traynotifier.h"
#include "windowstate.h"

#include <QAction>
#include <QDesktopServices>
#include <QDialog>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QInputDialog>
#include <QJsonArray>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QTableView>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace pw::ui {

MainWindow::MainWindow(const QUrl &backend, const QString &token, QWidget *parent)
    : QMainWindow(parent)
    , m_client(new ApiClient(backend, token, this))
    , m_activeModel(new ActivePullsModel(this))
    , m_failedModel(new FailedPullsModel(this))
    , m_historyModel(new HistoryModel(this)) {
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
    // Quitting (SIGTERM, the session ending) closes no window: keep the state then too.
    connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::saveSettings);
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
    m_historyView = new HistoryView(m_historyModel, m_tabs);
    m_logsPage = new LogsPage(m_client, m_tabs);
    m_dashboard = new DashboardView(m_tabs);
    m_tabs->addTab(m_activeView, tr("&Active pulls"));
    m_tabs->addTab(m_failedView, tr("F&ailed pulls"));
    m_tabs->addTab(m_historyView, tr("&History"));
    m_tabs->addTab(m_logsPage, tr("&Logs"));
    m_tabs->addTab(m_dashboard, tr("&Dashboard"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    // The tab titles count the rows their tables show.
    const QList<QPair<QAbstractItemModel *, Tab>> counted{
        {m_activeModel, ActiveTab}, {m_failedModel, FailedTab}, {m_historyModel, HistoryTab}};
    for (const auto &[model, tab] : counted) {
        const auto update = [this, model = model, tab = tab] {
            updateTabTitle(tab, model->rowCount());
        };
        connect(model, &QAbstractItemModel::rowsInserted, this, update);
        connect(model, &QAbstractItemModel::rowsRemoved, this, update);
        connect(model, &QAbstractItemModel::modelReset, this, update);
    }
}

void MainWindow::updateTabTitle(Tab tab, int rows) {
    static const QHash<int, const char *> titles{{ActiveTab, QT_TR_NOOP("&Active pulls")},
                                                 {FailedTab, QT_TR_NOOP("F&ailed pulls")},
                                                 {HistoryTab, QT_TR_NOOP("&History")}};
    const QString title = tr(titles.value(tab));
    m_tabs->setTabText(int(tab), rows > 0 ? QStringLiteral("%1 (%2)").arg(title).arg(rows) : title);
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
    buildHelpMenu();
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
    addShortcut(view, tr("History"), QKeySequence(Qt::CTRL | Qt::Key_3),
                [this] { showTab(HistoryTab); });
    addShortcut(view, tr("Logs"), QKeySequence(Qt::CTRL | Qt::Key_4), [this] { showTab(LogsTab); });
    addShortcut(view, tr("Dashboard"), QKeySequence(Qt::CTRL | Qt::Key_5),
                [this] { showTab(DashboardTab); });
    view->addSeparator();
    addShortcut(view, tr("&Refresh"), QKeySequence(Qt::Key_F5), [this] {
        m_client->refreshActive();
        m_client->refreshFailed();
        m_historyView->refresh();
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
        if (LogView *view = logView())
            view->focusSearch();
    });
    addShortcut(logs, tr("Find &next"), QKeySequence(Qt::Key_F3), [this] {
        if (LogView *view = logView())
            view->findNext();
    });
    addShortcut(logs, tr("Find &previous"), QKeySequence(Qt::SHIFT | Qt::Key_F3), [this] {
        if (LogView *view = logView())
            view->findNext(true);
    });
    addShortcut(logs, tr("&Pause / resume"), QKeySequence(Qt::CTRL | Qt::Key_P), [this] {
        if (LogView *view = logView())
            view->setPaused(!view->isPaused());
    });
    addShortcut(logs, tr("&Clear"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] {
        if (LogView *view = logView())
            view->clear();
    });
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

void MainWindow::buildHelpMenu() {
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    addShortcut(help, tr("&Keyboard shortcuts"), QKeySequence(Qt::Key_F1),
                [this] { showShortcuts(); });
    addShortcut(help, tr("&Documentation"), QKeySequence(),
                [this] { QDesktopServices::openUrl(helpUrl()); });
    help->addSeparator();
    addShortcut(help, tr("&About Pullwatch"), QKeySequence(),
                [this] { QMessageBox::about(this, tr("About Pullwatch"), aboutText()); });
}

QUrl MainWindow::helpUrl() const {
    // The page the backend serves itself (resources/web/static/help.html): no network needed.
    return m_client->urlFor(QStringLiteral("/static/help.html"));
}

QString MainWindow::aboutText() const {
    return tr("<h3>Pullwatch %1</h3><p>Watches the image pull Jobs of a Kubernetes cluster and "
              "streams their pod logs live.</p><p>Qt %2 (built with %3)<br>Backend: %4</p>")
        .arg(QStringLiteral(PULLWATCH_VERSION), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR),
             m_client->baseUrl().toDisplayString(QUrl::RemoveUserInfo).toHtmlEscaped());
}

QList<QPair<QString, QString>> MainWindow::shortcuts() const {
    return ShortcutsDialog::list(menuBar());
}

QDialog *MainWindow::showShortcuts() {
    auto *dialog = new ShortcutsDialog(menuBar(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

// The connection's state and metrics, then the rest.
void MainWindow::connectClient() {
    connect(m_client, &ApiClient::stateChanged, this, [this](ApiClient::State state) {
        if (state == ApiClient::State::Unauthorized)
            askForToken();
        updateProblem();
    });
    connect(m_banner, &ConnectionBanner::retryRequested, m_client,
            [this] { m_client->refreshActive(); });
    connect(m_banner, &ConnectionBanner::tokenRequested, this, [this] { askForToken(); });
    connect(m_banner, &ConnectionBanner::connectRequested, this, &MainWindow::connectionRequested);
    connect(m_client, &ApiClient::liveUpdatesChanged, m_indicators, &StatusIndicators::setLive);
    connect(m_client, &ApiClient::metricsReceived, this, [this](const MetricsSnapshot &m) {
        m_clusterState = m.clusterState;
        m_clusterKnown = true;
        updateProblem();
        m_indicators->setMetrics(m);
        m_dashboard->addMetrics(m, QDateTime::currentMSecsSinceEpoch());
    });
    connectPullLists();
    connectMessages();
    connectViews();
}

// The models follow the server's lists and live updates.
void MainWindow::connectPullLists() {
    connect(m_client, &ApiClient::activePullsReceived, this,
            [this](const QList<core::PullJob> &pulls) {
                // Pulls that left the list: ask how they ended, so the row shows it before it goes.
                for (const QString &id :
                     m_activeModel->applySnapshot(pulls, QDateTime::currentDateTimeUtc()))
                    m_client->fetchPull(id);
            });
    connect(m_client, &ApiClient::pullUpdated, this, [this](const core::PullJob &pull) {
        m_activeModel->upsert(pull, QDateTime::currentDateTimeUtc());
    });
    connect(m_client, &ApiClient::pullDetailReceived, this, [this](const core::PullJob &pull) {
        if (m_activeModel->rowOf(pull.id) >= 0)
            m_activeModel->upsert(pull, QDateTime::currentDateTimeUtc());
        m_failedView->showDetail(pull);
    });
    connect(m_client, &ApiClient::failedPullsReceived, m_failedModel, &FailedPullsModel::setPulls);
    connect(m_client, &ApiClient::pullsChanged, m_client, &ApiClient::refreshFailed);
    connect(m_activeModel, &ActivePullsModel::pullFinished, this,
            [this](const core::PullJob &pull) {
                m_notifier->notify(pull);
                if (pull.status == core::PullStatus::Failed)
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
        m_pullActions->setCanOperate(canOperate);
        if (!canOperate)
            statusBar()->showMessage(
                tr("Read only: this sign-in may not start, retry or cancel pulls"));
    });
    connect(m_client, &ApiClient::pullCancelled, this, [this](const QString &id) {
        statusBar()->showMessage(tr("Cancelled %1").arg(id), 8000);
    });
    connect(m_client, &ApiClient::requestFailed, this,
            [this](const QString &what, const QString &error) {
                // While the banner explains why nothing works, its echo stays out of the way.
                if (m_banner->problem() == ConnectionBanner::Problem::None)
                    statusBar()->showMessage(tr("%1 failed: %2").arg(what, error), 10000);
            });
}

// What the views and the tray ask for.
void MainWindow::connectViews() {
    m_pullActions = new PullActions(this);
    m_pullActions->attach(m_activeView->table(),
                          [this](const QModelIndex &i) { return m_activeView->pullAt(i); });
    m_pullActions->attach(m_failedView->table(),
                          [this](const QModelIndex &i) { return m_failedView->pullAt(i); });
    m_pullActions->attach(m_historyView->table(),
                          [this](const QModelIndex &i) { return m_historyView->pullAt(i); });
    connect(m_historyView, &HistoryView::pageWanted, this,
            [this](const QString &status, const core::PullJob &last) {
                m_client->fetchHistory(status, HistoryView::kPageSize, last);
            });
    connect(m_client, &ApiClient::historyReceived, m_historyView, &HistoryView::showPage);
    // The history follows every finished pull, and the tab asks again when it is opened.
    connect(m_client, &ApiClient::pullsChanged, m_historyView, &HistoryView::refresh);
    connect(m_client, &ApiClient::stateChanged, m_historyView, [this](ApiClient::State state) {
        if (state == ApiClient::State::Connected)
            m_historyView->refresh();
    });
    connect(m_tabs, &QTabWidget::currentChanged, m_historyView, [this](int index) {
        if (index == HistoryTab)
            m_historyView->refresh();
    });
    connect(m_pullActions, &PullActions::viewLogsRequested, this, &MainWindow::viewLogs);
    connect(m_pullActions, &PullActions::retryRequested, m_client, &ApiClient::retryPull);
    connect(m_pullActions, &PullActions::cancelRequested, m_activeView,
            &ActivePullsView::cancelPull);
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

// What is wrong (ConnectionProblem decides), on the banner and the status bar.
void MainWindow::updateProblem() {
    const ConnectionProblem found = ConnectionProblem::assess(
        m_client->state(), m_client->baseUrl().toDisplayString(QUrl::RemoveUserInfo),
        m_client->stateDetail(), m_clusterKnown, m_clusterState);
    m_banner->setProblem(found.problem, found.text);
    m_indicators->setConnection(m_client->state(), found.problem);
    if (m_client->state() == ApiClient::State::Connected && m_tokenDialog)
        m_tokenDialog->reject(); // a token arrived another way (the keychain)
    if (found.problem == ConnectionProblem::Problem::NoCluster && m_offerConnection) {
        m_offerConnection = false;
        Q_EMIT connectionRequested();
    }
}

QInputDialog *MainWindow::askForToken() {
    if (m_tokenDialog)
        return m_tokenDialog;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("tokenDialog"));
    dialog->setWindowTitle(tr("API token"));
    dialog->setLabelText(tr("The Pullwatch backend at %1 needs an API token.\n%2\n\nToken:")
                             .arg(m_client->baseUrl().toDisplayString(QUrl::RemoveUserInfo),
                                  m_client->stateDetail()));
    dialog->setTextEchoMode(QLineEdit::Password);
    dialog->setOkButtonText(tr("&Connect"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &token) {
        m_client->setToken(token);
        Q_EMIT tokenEntered(token);
    });
    m_tokenDialog = dialog;
    dialog->open();
    return dialog;
}

PullDialog *MainWindow::openPullDialog() {
    auto *dialog = new PullDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setDemoOutcomes(m_client->demoOutcomes());
    // "will be copied to …": the server's Harbor target rule, asked as the list settles.
    connect(dialog, &PullDialog::previewWanted, dialog, [this, dialog](const QStringList &refs) {
        m_client->previewPulls(
            refs, dialog,
            [dialog, refs](const QJsonArray &rows, const QString &error, bool refused) {
                dialog->showPreview(refs, rows, error, refused);
            });
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_client->startPulls(dialog->references());
        showTab(ActiveTab);
    });
    dialog->open();
    return dialog;
}

void MainWindow::viewLogs(const core::PullJob &pull) {
    if (pull.id.isEmpty() || pull.namespaceName.isEmpty())
        return;
    // Every container of every pod of the Job merged (pull-source, push-to-harbor, and the
    // Job's next pod when it retries), each line prefixed with its pod/container.
    LogTarget target;
    target.namespaceName = pull.namespaceName;
    target.job = pull.id;
    target.container = QStringLiteral("*");
    m_logsPage->selector()->select(target);
    m_logsPage->open(target);
    showTab(LogsTab);
}

LogView *MainWindow::logView() const {
    return m_logsPage->current();
}

void MainWindow::showTab(Tab tab) {
    m_tabs->setCurrentIndex(int(tab));
}

void MainWindow::tick() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_activeModel->expire(now);
    m_activeModel->setNow(now);
    const qint64 ms = now.toMSecsSinceEpoch();
    m_dashboard->addLogLines(m_logsPage->takeReceivedCount(), ms);
    if (m_tabs->currentWidget() == m_dashboard)
        m_dashboard->redraw(ms);
}

// Window state lives in the state directory, never in the user's config file (WindowState).
void MainWindow::restoreSettings() {
    const auto s = WindowState::open();
    if (!restoreGeometry(s->value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 760);
    restoreState(s->value(QStringLiteral("window/state")).toByteArray());
    m_failedView->splitter()->restoreState(
        s->value(QStringLiteral("window/failedSplitter")).toByteArray());
    m_tabs->setCurrentIndex(s->value(QStringLiteral("window/tab"), 0).toInt());
    m_logsPage->setCapacity(s->value(QStringLiteral("logs/capacity"), 100'000).toInt());
}

void MainWindow::saveSettings() const {
    const auto s = WindowState::open();
    s->setValue(QStringLiteral("window/geometry"), saveGeometry());
    s->setValue(QStringLiteral("window/state"), saveState());
    s->setValue(QStringLiteral("window/failedSplitter"), m_failedView->splitter()->saveState());
    s->setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event) {
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace pw::ui
