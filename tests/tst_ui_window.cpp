// The desktop window against the real backend: a `pullwatch --headless --demo` process on a
// loopback port (kubesim inside), driven through the widgets on the offscreen platform.
#include "pullwatchprocess.h"
#include "freeport.h"
#include "httpclient.h"
#include "tempfile.h"
#include "testjwt.h"

#include "ui/activepullsmodel.h"
#include "ui/activepullsview.h"
#include "ui/apiclient.h"
#include "ui/connectionbanner.h"
#include "ui/failedpullsmodel.h"
#include "ui/failedpullsview.h"
#include "ui/logmodel.h"
#include "ui/logselector.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/namelistmodel.h"
#include "ui/pulldialog.h"
#include "ui/statusindicators.h"
#include "ui/traynotifier.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QStatusBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QListView>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

namespace {

// The "chatty seq=N" number in a kubesim generated line, or -1.
qint64 chattySeq(const QString &line) {
    static const QRegularExpression re(QStringLiteral("chatty seq=(\\d+)"));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

class TestUiWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void connectsAndShowsStatus();
    void dialogValidatesAsYouType();
    void pullFromDialogCompletesAndLeaves();
    void notFoundPullShowsReasonAndEvents();
    void cancelAskedAndDone();
    void selectorListsFromApi();
    void selectorListsUpdateLive();
    void followChattyLogs();
    void settingsRestored();
    void tokenSentAsBearer();
    void viewerJwtHidesPullCancelAndRetry();
    void bannerWhileUnreachableThenReconnects();
    void connectModeProcess();

private:
    QString startPull(const QString &reference);

    PullwatchProcess m_backend;
    std::unique_ptr<MainWindow> m_window;
};

void TestUiWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    // --pull-backoff-grace 2: a notfound pull fails within seconds instead of 90 s.
    QVERIFY2(m_backend.start({"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level",
                              "warning", "--pull-backoff-grace", "2"}),
             qPrintable(m_backend.error()));
    // Keep the child's pipes drained so it never blocks on a full pipe.
    QProcess *p = &m_backend.process();
    connect(p, &QProcess::readyReadStandardError, p, [p] { p->readAllStandardError(); });
    connect(p, &QProcess::readyReadStandardOutput, p, [p] { p->readAllStandardOutput(); });
    m_window = std::make_unique<MainWindow>(m_backend.baseUrl());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestUiWindow::cleanupTestCase() {
    m_window.reset();
    m_backend.terminate();
}

QString TestUiWindow::startPull(const QString &reference) {
    QSignalSpy started(m_window->client(), &ApiClient::pullsStarted);
    m_window->client()->startPulls({reference});
    if (!started.wait(10'000))
        return QString();
    return started.at(0).at(0).toStringList().value(0);
}

void TestUiWindow::connectsAndShowsStatus() {
    ApiClient *client = m_window->client();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ApiClient::State::Connected, 10'000);
    QVERIFY(m_window->banner()->isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(client->liveUpdates(), 10'000); // /ws/image-pull-all subscribed
    client->fetchMetrics();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->indicators()->text().contains(QStringLiteral("cluster: connected")), 10'000);
    const QString status = m_window->indicators()->text();
    QVERIFY2(status.contains(QStringLiteral("cache: memory")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("hit ratio")), qPrintable(status));
    QVERIFY2(status.contains(m_backend.baseUrl().toString()), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("clients: ")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("live")), qPrintable(status));
}

void TestUiWindow::dialogValidatesAsYouType() {
    PullDialog *dialog = m_window->openPullDialog();
    QVERIFY(dialog->isVisible());
    auto *box = dialog->findChild<QDialogButtonBox *>();
    QPushButton *ok = box->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(dialog->editor(), QStringLiteral("nginx:1.27"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog->references(), QStringList{QStringLiteral("nginx:1.27")});
    dialog->setText(
        QStringLiteral("nginx:1.27\n\n# a comment\nNGINX:bad tag!\nalpine:3.20\nhost:5000/a/b"));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(dialog->problems().size(), 1);
    QVERIFY2(dialog->problems().first().startsWith(QStringLiteral("line 4: ")),
             qPrintable(dialog->problems().first()));
    QVERIFY(dialog->references().isEmpty());
    dialog->setText(QStringLiteral("nginx:1.27\nalpine:3.20\nhost:5000/a/b"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog->references().size(), 3);
    dialog->reject();
}

void TestUiWindow::pullFromDialogCompletesAndLeaves() {
    QSignalSpy started(m_window->client(), &ApiClient::pullsStarted);
    QSignalSpy finished(m_window->activeModel(), &ActivePullsModel::pullFinished);
    PullDialog *dialog = m_window->openPullDialog();
    dialog->setText(QStringLiteral("nginx:1.27-ui"));
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QVERIFY(started.wait(10'000));
    const QString id = started.at(0).at(0).toStringList().value(0);
    QVERIFY(!id.isEmpty());
    QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::ActiveTab));
    ActivePullsModel *model = m_window->activeModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(id) >= 0, 10'000);
    QCOMPARE(model->pullAt(model->rowOf(id)).imageName, QStringLiteral("nginx"));
    // Progress moves through the stages, then the row shows completed, then it goes.
    QTRY_VERIFY_WITH_TIMEOUT(
        model->rowOf(id) >= 0 && model->pullAt(model->rowOf(id)).progress >= 30, 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(id) >= 0 &&
                                 model->pullAt(model->rowOf(id)).status == PullStatus::Completed,
                             60'000);
    QCOMPARE(model->pullAt(model->rowOf(id)).progress, 100);
    bool notified = false;
    for (const auto &args : finished)
        notified |= args.at(0).value<PullJob>().id == id;
    QVERIFY(notified);
    QVERIFY(m_window->notifier()->lastMessage().contains(QStringLiteral("nginx:1.27-ui")));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(id) < 0, 15'000);
}

void TestUiWindow::notFoundPullShowsReasonAndEvents() {
    const QString id = startPull(QStringLiteral("example.com/notfound/ui:1"));
    QVERIFY(!id.isEmpty());
    FailedPullsModel *failed = m_window->failedModel();
    QTRY_VERIFY_WITH_TIMEOUT(failed->rowOf(id) >= 0, 60'000);
    const PullJob &p = failed->pullAt(failed->rowOf(id));
    QCOMPARE(p.status, PullStatus::Failed);
    QVERIFY(p.reason != FailureReason::None);
    const QString reasonCell =
        failed->index(failed->rowOf(id), FailedPullsModel::Reason).data().toString();
    QVERIFY2(reasonCell == QStringLiteral("ImageNotFound") ||
                 reasonCell == QStringLiteral("PullBackOff"),
             qPrintable(reasonCell));
    m_window->showTab(MainWindow::FailedTab);
    QVERIFY(m_window->failedView()->selectJob(id));
    // The detail pane gets the full pull: message, reason, events, log tails.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->failedView()->shownJobId(), id, 10'000);
    const QString details = m_window->failedView()->details()->toPlainText();
    QVERIFY2(details.contains(reasonCell), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Events")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Warning")), qPrintable(details)); // a warning event
    QVERIFY2(details.contains(QStringLiteral("Log: pull-source")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Log: push-to-harbor")), qPrintable(details));
    // Retry starts a new pull of the same image.
    QSignalSpy retried(m_window->client(), &ApiClient::pullRetried);
    m_window->client()->retryPull(id);
    QVERIFY(retried.wait(10'000));
}

void TestUiWindow::cancelAskedAndDone() {
    const QString id = startPull(QStringLiteral("slow/ui:1"));
    QVERIFY(!id.isEmpty());
    m_window->showTab(MainWindow::ActiveTab);
    ActivePullsView *view = m_window->activeView();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->activeModel()->rowOf(id) >= 0, 10'000);
    view->setFilterText(QStringLiteral("slow/ui"));
    QTRY_COMPARE(view->proxy()->rowCount(), 1);
    view->table()->selectRow(0);
    QCOMPARE(view->selectedJobId(), id);
    QString asked;
    view->setConfirm([&asked](const QString &q) {
        asked = q;
        return false;
    });
    view->cancelSelected();
    QVERIFY(asked.contains(id));
    QSignalSpy cancelled(m_window->client(), &ApiClient::pullCancelled);
    QVERIFY(!cancelled.wait(300)); // "no" cancels nothing
    view->setConfirm([](const QString &) { return true; });
    view->cancelSelected();
    QVERIFY(cancelled.wait(10'000));
    QCOMPARE(cancelled.at(0).at(0).toString(), id);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->activeModel()->rowOf(id) < 0, 20'000);
    view->setFilterText(QString());
}

void TestUiWindow::selectorListsFromApi() {
    LogSelector *selector = m_window->logView()->selector();
    selector->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(selector->namespaces()->rowOf(QStringLiteral("demo")) >= 0, 10'000);
    selector->select(LogTarget{QStringLiteral("demo"), QStringLiteral("x"), QString(), QString()});
    QTRY_VERIFY_WITH_TIMEOUT(selector->names()->rowCount() >= 2, 10'000);
    bool web = false;
    for (const auto &item : selector->names()->items())
        web |= item.name.startsWith(QStringLiteral("web-frontend-"));
    QVERIFY(web);
    QVERIFY(selector->containers()->rowCount() >= 1);
    QCOMPARE(selector->currentTarget().namespaceName, QStringLiteral("demo"));
}

// The lists follow the cluster without ↻: a Job started after the namespace was chosen
// appears in the Job list by itself (from /ws/catalog).
void TestUiWindow::selectorListsUpdateLive() {
    LogSelector *selector = m_window->logView()->selector();
    selector->select(LogTarget{QStringLiteral("default"), QString(), QStringLiteral("x"), QString()});
    QTRY_COMPARE_WITH_TIMEOUT(selector->currentTarget().namespaceName, QStringLiteral("default"), 10'000);
    const QString id = startPull(QStringLiteral("slow/live-list:1"));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(selector->names()->rowOf(id) >= 0, 20'000);
    // Back to the demo pods, as the tests after this one expect.
    selector->select(LogTarget{QStringLiteral("demo"), QStringLiteral("x"), QString(), QString()});
    QTRY_VERIFY_WITH_TIMEOUT(
        [selector] {
            for (const auto &item : selector->names()->items())
                if (item.name.startsWith(QStringLiteral("web-frontend-")))
                    return true;
            return false;
        }(),
        10'000);
}

void TestUiWindow::followChattyLogs() {
    const QString id = startPull(QStringLiteral("chatty/ui:1"));
    QVERIFY(!id.isEmpty());
    m_window->showTab(MainWindow::LogsTab);
    LogView *view = m_window->logView();
    LogModel *model = view->model();
    view->clear();
    LogTarget target;
    target.namespaceName = QStringLiteral("default");
    target.job = id;
    target.container = QStringLiteral("push-to-harbor");
    view->follow(target);
    QTRY_VERIFY_WITH_TIMEOUT(view->receivedTotal() >= 100, 60'000);

    // Search: highlight count and next/previous select a matching line.
    view->setSearchText(QStringLiteral("seq=1"));
    QVERIFY(view->matchCount() > 0);
    QVERIFY(view->findNext());
    QVERIFY(view->view()->currentIndex().data().toString().contains(QStringLiteral("seq=1")));
    QVERIFY(view->findNext(true));
    view->setSearchText(QString());

    // Filter: only matching lines; regex mode; back to everything.
    const int all = view->view()->model()->rowCount();
    QVERIFY(view->setFilter(QStringLiteral("seq=5"), false).isEmpty());
    const int plain = view->view()->model()->rowCount();
    QVERIFY(plain > 0 && plain < all);
    for (int r = 0; r < plain; ++r) {
        const QModelIndex i = view->view()->model()->index(r, 0);
        if (i.data(LogModel::KindRole).toInt() == int(LogModel::Kind::Line))
            QVERIFY(i.data().toString().contains(QStringLiteral("seq=5")));
    }
    QVERIFY(view->setFilter(QStringLiteral("chatty seq=\\d*7 "), true).isEmpty());
    QVERIFY(view->view()->model()->rowCount() > 0);
    QVERIFY(!view->setFilter(QStringLiteral("seq=(("), true).isEmpty());
    QVERIFY(view->setFilter(QString(), false).isEmpty());
    QVERIFY(view->view()->model() == model);

    // Pause: lines queue (visible count) and nothing is appended; resume: all of them arrive.
    view->setPaused(true);
    const int rowsAtPause = model->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(view->queuedLines() >= 100, 30'000);
    QCOMPARE(model->rowCount(), rowsAtPause);
    view->setPaused(false);
    QCOMPARE(view->queuedLines(), qint64(0));
    QVERIFY(model->rowCount() > rowsAtPause + 99);
    const qint64 before = view->receivedTotal();
    QTRY_VERIFY_WITH_TIMEOUT(view->receivedTotal() > before + 20, 10'000);
    // Counter check: every line from the first to the last, each once, in order (by the
    // stream's line numbers and by the generator's own counter in the text).
    qint64 lastSeq = -1;
    qint64 lastChatty = -1;
    int lines = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->kindAt(r) != LogModel::Kind::Line)
            continue;
        QVERIFY2(model->kindAt(r) != LogModel::Kind::Gap, "no gap expected");
        const qint64 seq = model->seqAt(r);
        const qint64 chatty = chattySeq(model->displayText(r));
        if (lastSeq >= 0)
            QCOMPARE(seq, lastSeq + 1);
        if (lastChatty >= 0 && chatty >= 0)
            QCOMPARE(chatty, lastChatty + 1);
        lastSeq = seq;
        if (chatty >= 0)
            lastChatty = chatty;
        ++lines;
    }
    QVERIFY(lines > 150);

    // Timestamps toggle, wrap toggle.
    const QString withStamp = model->displayText(model->rowCount() - 1);
    view->setShowTimestamps(false);
    QVERIFY(model->displayText(model->rowCount() - 1).size() < withStamp.size());
    view->setShowTimestamps(true);
    view->setWrap(true);
    view->setWrap(false);

    // Save: the file holds the shown lines.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chatty.log"));
    view->stop();
    QString error;
    QVERIFY2(view->saveTo(path, &error), qPrintable(error));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QList<QByteArray> savedLines = saved.readAll().split('\n');
    QCOMPARE(savedLines.size() - 1, model->rowCount());
    QVERIFY(savedLines.at(savedLines.size() - 2).contains("chatty seq="));

    view->clear();
    QCOMPARE(model->rowCount(), 0);
}

void TestUiWindow::settingsRestored() {
    // The last log selection is remembered when it is followed.
    LogSelector *selector = m_window->logView()->selector();
    QString webPod;
    for (const auto &item : selector->names()->items())
        if (item.name.startsWith(QStringLiteral("web-frontend-")))
            webPod = item.name;
    QVERIFY(!webPod.isEmpty());
    selector->select(LogTarget{QStringLiteral("demo"), webPod, QString(), QStringLiteral("nginx")});
    QTRY_COMPARE_WITH_TIMEOUT(selector->currentTarget().pod, webPod, 10'000);
    QPushButton *follow = nullptr;
    for (QPushButton *b : selector->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("&Follow"))
            follow = b;
    QVERIFY(follow);
    QTest::mouseClick(follow, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->logView()->receivedTotal() > 0, 20'000);
    m_window->logView()->stop();
    m_window->showTab(MainWindow::FailedTab);
    m_window->resize(1010, 690);
    QTRY_COMPARE(m_window->size(), QSize(1010, 690));
    m_window->failedView()->splitter()->setSizes({300, 600});
    const QList<int> sizes = m_window->failedView()->splitter()->sizes();
    m_window->close();

    MainWindow again(m_backend.baseUrl());
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1010, 690));
    QCOMPARE(again.tabs()->currentIndex(), int(MainWindow::FailedTab));
    QCOMPARE(again.failedView()->splitter()->sizes(), sizes);
    LogSelector *restored = again.logView()->selector();
    QTRY_COMPARE_WITH_TIMEOUT(restored->currentTarget().pod, webPod, 10'000);
    QCOMPARE(restored->currentTarget().namespaceName, QStringLiteral("demo"));
    QCOMPARE(restored->currentTarget().container, QStringLiteral("nginx"));
    m_window->show();
}

void TestUiWindow::tokenSentAsBearer() {
    QTemporaryDir dir;
    const QString tokenFile = dir.filePath(QStringLiteral("token"));
    QFile f(tokenFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("ui-test-token-0123456789abcdef\n");
    f.close();
    PullwatchProcess secured;
    QVERIFY2(secured.start({"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level",
                            "warning", "--token-file", tokenFile}),
             qPrintable(secured.error()));
    MainWindow withToken(secured.baseUrl(), QStringLiteral("ui-test-token-0123456789abcdef"));
    QTRY_COMPARE_WITH_TIMEOUT(withToken.client()->state(), ApiClient::State::Connected, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(withToken.client()->liveUpdates(), 10'000); // the WebSocket too
    QSignalSpy failed(withToken.client(), &ApiClient::failedPullsReceived);
    withToken.client()->refreshFailed();
    QVERIFY(failed.wait(10'000));

    MainWindow without(secured.baseUrl());
    without.show();
    QTRY_COMPARE_WITH_TIMEOUT(without.client()->state(), ApiClient::State::Unreachable, 10'000);
    QVERIFY2(without.banner()->text().contains(QStringLiteral("401")),
             qPrintable(without.banner()->text()));

    // `pullwatch --connect URL --token-file F`: main() reads the file and the window uses it.
    auto wsClients = [&secured] {
        HttpClient http;
        QUrl url = secured.baseUrl();
        url.setPath(QStringLiteral("/metrics"));
        int n = 0;
        const QByteArray body =
            http.get(url, {{"Authorization", "Bearer ui-test-token-0123456789abcdef"}}).body;
        for (const QByteArray &line : body.split('\n'))
            if (line.startsWith("pullwatch_ws_connections{"))
                n += line.mid(line.lastIndexOf(' ') + 1).toInt();
        return n;
    };
    const int before = wsClients();
    QProcess window;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("PULLWATCH_TOKEN"));
    env.insert(QStringLiteral("HOME"), dir.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
    window.setProcessEnvironment(env);
    window.start(PullwatchProcess::binary(), {"--connect", secured.baseUrl().toString(),
                                              "--token-file", tokenFile, "--log-level", "warning"});
    QVERIFY(window.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(wsClients() > before, 15'000);
    window.terminate();
    QVERIFY(window.waitForFinished(5000));
    secured.terminate();
}

void TestUiWindow::bannerWhileUnreachableThenReconnects() {
    const quint16 port = FreePort::pick();
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(port));
    MainWindow window(url);
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Unreachable, 10'000);
    QVERIFY(window.banner()->isVisible());
    QVERIFY(window.banner()->text().contains(url.toString()));
    // The backend appears on that port: the window finds it by itself.
    PullwatchProcess late;
    QVERIFY2(late.start({"--headless", "--demo", "--listen",
                         QStringLiteral("127.0.0.1:%1").arg(port), "--log-level", "warning"}),
             qPrintable(late.error()));
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Connected, 20'000);
    QVERIFY(window.banner()->isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(window.client()->liveUpdates(), 10'000); // the feed reconnects too
    late.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Unreachable, 20'000);
    QVERIFY(window.banner()->isVisible());
    QTRY_VERIFY(!window.client()->liveUpdates());
}

void TestUiWindow::connectModeProcess() {
    // `pullwatch --connect URL` opens the window on a separately started backend: the
    // backend sees its WebSocket feed connect.
    auto wsClients = [this] {
        HttpClient http;
        QUrl url = m_backend.baseUrl();
        url.setPath(QStringLiteral("/metrics"));
        int n = 0;
        for (const QByteArray &line : http.get(url).body.split('\n'))
            if (line.startsWith("pullwatch_ws_connections{"))
                n += line.mid(line.lastIndexOf(' ') + 1).toInt();
        return n;
    };
    const int before = wsClients();
    QProcess window;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QTemporaryDir home;
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    window.setProcessEnvironment(env);
    window.start(PullwatchProcess::binary(),
                 {"--connect", m_backend.baseUrl().toString(), "--log-level", "warning"});
    QVERIFY(window.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(wsClients() > before, 15'000);
    QCOMPARE(window.state(), QProcess::Running);
    window.terminate();
    QVERIFY(window.waitForFinished(5000));
}

// docs/architecture.md §6: with the platform's JWTs, a non-admin may watch but not start,
// cancel or retry: the window hides and disables those, and shows it is read only.
void TestUiWindow::viewerJwtHidesPullCancelAndRetry() {
    QTemporaryDir dir;
    const QByteArray secret = "ui-platform-secret-4c8e2a6f1b3d5e7a9c0f2b4d6e8a1c3e";
    const QString secretFile = writeTempFile(dir, QStringLiteral("jwt-secret"), secret + '\n');
    QVERIFY(!secretFile.isEmpty());
    PullwatchProcess secured;
    QVERIFY2(secured.start({"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level",
                            "warning", "--jwt-secret-file", secretFile}),
             qPrintable(secured.error()));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto pullButton = [](MainWindow &w) {
        for (QPushButton *b : w.activeView()->findChildren<QPushButton *>())
            if (b->text() == MainWindow::tr("&Pull images…"))
                return b;
        return static_cast<QPushButton *>(nullptr);
    };
    const auto pullAction = [](MainWindow &w) {
        for (QAction *a : w.findChildren<QAction *>())
            if (a->text() == MainWindow::tr("&Pull images…"))
                return a;
        return static_cast<QAction *>(nullptr);
    };

    MainWindow viewer(secured.baseUrl(), QString::fromLatin1(TestJwt::hmac(
                                             TestJwt::platformClaims(now, QStringLiteral("bob"), false), secret)));
    viewer.show();
    QTRY_COMPARE_WITH_TIMEOUT(viewer.client()->state(), ApiClient::State::Connected, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(!viewer.client()->canOperate(), 10'000);
    QVERIFY(!viewer.activeView()->canOperate());
    QVERIFY(pullButton(viewer) && !pullButton(viewer)->isVisible());
    QVERIFY(pullAction(viewer) && !pullAction(viewer)->isEnabled());
    QVERIFY(viewer.statusBar()->currentMessage().contains(QStringLiteral("Read only")));

    MainWindow admin(secured.baseUrl(), QString::fromLatin1(TestJwt::hmac(
                                            TestJwt::platformClaims(now, QStringLiteral("alice"), true), secret)));
    admin.show();
    QTRY_COMPARE_WITH_TIMEOUT(admin.client()->state(), ApiClient::State::Connected, 10'000);
    QSignalSpy started(admin.client(), &ApiClient::pullsStarted);
    admin.client()->startPulls({QStringLiteral("nginx:1.27")});
    QVERIFY(started.wait(10'000));
    QVERIFY(admin.client()->canOperate());
    QVERIFY(pullButton(admin)->isVisible());
    QVERIFY(pullAction(admin)->isEnabled());
}

QTEST_MAIN(TestUiWindow)
#include "tst_ui_window.moc"
