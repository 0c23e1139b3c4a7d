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
#include "ui/connectiondialog.h"
#include "ui/failedpullsmodel.h"
#include "ui/failedpullsview.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/logmodel.h"
#include "ui/logselector.h"
#include "ui/catalogfeed.h"
#include "ui/logspage.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/namelistmodel.h"
#include "ui/pullactions.h"
#include "ui/pulldialog.h"
#include "ui/statusindicators.h"
#include "ui/tokenkeychain.h"
#include "ui/traynotifier.h"
#include "ui/windowstate.h"

#include <QClipboard>
#include <QComboBox>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QTextBlock>
#include <QTextLayout>
#include <QLabel>
#include <QTableWidget>
#include <QGuiApplication>
#include <QMenu>
#include <QInputDialog>
#include <QLineEdit>
#include <QAction>
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
    void dialogTeachesTheDemo();
    void dialogPreviewsTheHarborTarget();
    void pullFromDialogCompletesAndLeaves();
    void notFoundPullShowsReasonAndEvents();
    void cancelAskedAndDone();
    void selectorListsFromApi();
    void selectorListsUpdateLive();
    void catalogFeedDestroyedWhileOpen();
    void followChattyLogs();
    void pullRowLeadsToLogs();
    void historyKeepsCompletedAndFailed();
    void helpMenuShortcutsAndAbout();
    void logToolbarStaysPut();
    void settingsRestored();
    void tokenSentAsBearer();
    void viewerJwtHidesPullCancelAndRetry();
    void bannerWhileUnreachableThenReconnects();
    void connectModeProcess();
    void throttledSaysWhen();
    void noClusterIsARedBanner();
    void connectionDialogChoices();
    void tokenKeptOnlyInTheKeychain();

private:
    QString startPull(const QString &reference);
    static QString startSecured(PullwatchProcess &backend, const QTemporaryDir &dir,
                                const QByteArray &token, const QStringList &extra = {});

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

    // 300 characters typed are reported as 300, and the mark covers every row of the wrap.
    dialog->setText(QStringLiteral("nginx:1.27\n") + QString(300, u'a'));
    QCOMPARE(dialog->problems().size(), 1);
    QVERIFY2(dialog->problems().first().contains(QStringLiteral("is 300 characters long")),
             qPrintable(dialog->problems().first()));
    const QTextBlock bad = dialog->editor()->document()->findBlockByNumber(1);
    QVERIFY(bad.layout()->lineCount() > 1); // wrapped in the dialog's width
    const QList<QTextEdit::ExtraSelection> marks = dialog->editor()->extraSelections();
    QCOMPARE(marks.size(), 1);
    QCOMPARE(marks.first().cursor.selectionStart(), bad.position());
    QCOMPARE(marks.first().cursor.selectionEnd(), bad.position() + bad.length() - 1);
    dialog->reject();
}

// The dialog says where each image will be copied, by the server's Harbor target rule
// (as-written by default: the prefix + the reference as typed), and keeps Start disabled
// for a reference the server's registry policy refuses.
void TestUiWindow::dialogPreviewsTheHarborTarget() {
    PullDialog *dialog = m_window->openPullDialog();
    dialog->setText(QStringLiteral("nginx:1.27\nnvcr.io/nvidia/pytorch:24.05-py3"));
    QLabel *preview = dialog->preview();
    QTRY_VERIFY_WITH_TIMEOUT(preview->isVisible(), 10'000);
    QVERIFY2(preview->text().contains(QStringLiteral("harbor.local/mirror/nginx:1.27")),
             qPrintable(preview->text()));
    QVERIFY2(preview->text().contains(
                 QStringLiteral("harbor.local/mirror/nvcr.io/nvidia/pytorch:24.05-py3")),
             qPrintable(preview->text()));
    QVERIFY(dialog->canStart());
    // A loopback registry is a valid reference, but the server refuses it.
    dialog->setText(QStringLiteral("127.0.0.1:5000/x:1"));
    QVERIFY(dialog->problems().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->canStart(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(preview->text().contains(QStringLiteral("loopback")), 10'000);
    // Back to a good one: Start comes back.
    dialog->setText(QStringLiteral("nginx:1.27"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->canStart() && preview->isVisible(), 10'000);
    dialog->reject();
}

void TestUiWindow::dialogTeachesTheDemo() {
    // The backend is `--demo`: the dialog lists what the demo's image names do.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->client()->demoOutcomes().isEmpty(), 10'000);
    PullDialog *dialog = m_window->openPullDialog();
    QLabel *hint = dialog->demoHint();
    QVERIFY(hint->isVisible());
    for (const char *word : {"notfound", "unauthorized", "pushfail", "unschedulable", "slow",
                             "chatty", "library/notfound-x:1"})
        QVERIFY2(hint->text().contains(QLatin1StringView(word)), word);
    QVERIFY(hint->text().contains(QStringLiteral("Try <a href=\"library/notfound-x:1\">")));
    // An example is a link that adds it to the list.
    Q_EMIT hint->linkActivated(QStringLiteral("library/notfound-x:1"));
    QCOMPARE(dialog->references(), QStringList{QStringLiteral("library/notfound-x:1")});
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
    LogSelector *selector = m_window->logsPage()->selector();
    selector->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(selector->namespaces()->rowOf(QStringLiteral("demo")) >= 0, 10'000);
    selector->select(LogTarget{QStringLiteral("demo"), QStringLiteral("x"), QString(), QString()});
    // The demo namespace's pods (the demo's example pulls have pods in the default one).
    const auto hasWebPod = [selector] {
        for (const auto &item : selector->names()->items())
            if (item.name.startsWith(QStringLiteral("web-frontend-")))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hasWebPod(), 10'000);
    QVERIFY(selector->names()->rowCount() >= 2);
    QVERIFY(selector->containers()->rowCount() >= 1);
    QCOMPARE(selector->currentTarget().namespaceName, QStringLiteral("demo"));
}

// The lists follow the cluster without ↻: a Job started after the namespace was chosen
// appears in the Job list by itself (from /ws/catalog).
void TestUiWindow::selectorListsUpdateLive() {
    LogSelector *selector = m_window->logsPage()->selector();
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
    LogTarget target;
    target.namespaceName = QStringLiteral("default");
    target.job = id;
    target.container = QStringLiteral("push-to-harbor");
    LogView *view = m_window->logsPage()->open(target);
    QVERIFY(view);
    LogModel *model = view->model();
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
    m_window->logsPage()->closeTab(m_window->logsPage()->tabs()->indexOf(view));
}

void TestUiWindow::pullRowLeadsToLogs() {
    // A chatty pull stays active while its push container logs.
    const QString id = startPull(QStringLiteral("chatty/rowlogs:1"));
    QVERIFY(!id.isEmpty());
    m_window->showTab(MainWindow::ActiveTab);
    ActivePullsModel *model = m_window->activeModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        model->rowOf(id) >= 0 && !model->pullAt(model->rowOf(id)).target.isEmpty(), 10'000);
    const PullJob pull = model->pullAt(model->rowOf(id));

    // The context menu: what applies to an active pull is enabled, and the copies copy.
    std::unique_ptr<QMenu> menu(m_window->pullActions()->menuFor(pull, m_window.get()));
    QHash<QString, QAction *> actions;
    for (QAction *a : menu->actions())
        if (!a->isSeparator())
            actions.insert(a->text().remove(u'&'), a);
    QCOMPARE(QSet<QString>(actions.keyBegin(), actions.keyEnd()),
             (QSet<QString>{QStringLiteral("View logs"), QStringLiteral("Retry"),
                            QStringLiteral("Cancel…"), QStringLiteral("Copy image"),
                            QStringLiteral("Copy Harbor target")}));
    QVERIFY(actions.value(QStringLiteral("View logs"))->isEnabled());
    QVERIFY(actions.value(QStringLiteral("Cancel…"))->isEnabled());
    QVERIFY(!actions.value(QStringLiteral("Retry"))->isEnabled()); // only a failed pull
    actions.value(QStringLiteral("Copy image"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("chatty/rowlogs:1"));
    actions.value(QStringLiteral("Copy Harbor target"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), pull.target);
    QVERIFY2(pull.target.contains(QStringLiteral("chatty/rowlogs:1")), qPrintable(pull.target));

    // Double-click on the row: the Logs tab follows the pull's Job (every container merged) in
    // a tab of its own, and lines arrive.
    const int tabsBefore = m_window->logsPage()->count();
    QTableView *table = m_window->activeView()->table();
    const QModelIndex index = m_window->activeView()->proxy()->mapFromSource(
        model->index(model->rowOf(id), ActivePullsModel::Image));
    table->scrollTo(index);
    // A double-click is a click and then a double-click event at the same place.
    const QPoint at = table->visualRect(index).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::LogsTab));
    QCOMPARE(m_window->logsPage()->selector()->currentTarget().namespaceName, pull.namespaceName);
    QCOMPARE(m_window->logsPage()->count(), tabsBefore + 1);
    LogView *view = m_window->logView();
    QVERIFY(view && view->stream());
    QTRY_VERIFY_WITH_TIMEOUT(view->receivedTotal() > 10, 30'000);
    QCOMPARE(view->stream()->target().job, id);
    QCOMPARE(view->stream()->target().container, QStringLiteral("*")); // every container
    m_window->logsPage()->closeTab(m_window->logsPage()->tabs()->currentIndex());
    m_window->client()->cancelPull(id);
}

void TestUiWindow::historyKeepsCompletedAndFailed() {
    const QString ok = startPull(QStringLiteral("history/ui-ok:1"));
    const QString bad = startPull(QStringLiteral("history/pushfail-ui:1"));
    QVERIFY(!ok.isEmpty() && !bad.isEmpty());
    m_window->showTab(MainWindow::HistoryTab);
    HistoryModel *model = m_window->historyModel();
    // Both stay in the History tab after they leave the active list.
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(ok) >= 0 && model->rowOf(bad) >= 0, 60'000);
    // The tab titles count the rows their tables show.
    QCOMPARE(m_window->tabs()->tabText(MainWindow::HistoryTab),
             QStringLiteral("&History (%1)").arg(model->rowCount()));
    QCOMPARE(m_window->tabs()->tabText(MainWindow::FailedTab),
             QStringLiteral("F&ailed pulls (%1)").arg(m_window->failedModel()->rowCount()));
    const PullJob done = model->pullAt(model->rowOf(ok));
    QCOMPARE(done.status, PullStatus::Completed);
    QVERIFY2(done.target.endsWith(QStringLiteral("history/ui-ok:1")), qPrintable(done.target));
    QVERIFY(HistoryModel::durationSeconds(done) > 0);
    QCOMPARE(model->index(model->rowOf(ok), HistoryModel::Target).data().toString(), done.target);
    QVERIFY(!model->index(model->rowOf(ok), HistoryModel::Duration).data().toString().isEmpty());
    QCOMPARE(model->index(model->rowOf(bad), HistoryModel::Status).data().toString(),
             QStringLiteral("failed"));
    QCOMPARE(model->index(model->rowOf(bad), HistoryModel::Reason).data().toString(),
             QStringLiteral("PushFailed"));

    // The filter asks the server for completed pulls only.
    HistoryView *view = m_window->historyView();
    view->statusBox()->setCurrentIndex(view->statusBox()->findData(QStringLiteral("completed")));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(bad) < 0 && model->rowOf(ok) >= 0, 10'000);
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->pullAt(row).status, PullStatus::Completed);
    view->statusBox()->setCurrentIndex(view->statusBox()->findData(QStringLiteral("failed")));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(bad) >= 0 && model->rowOf(ok) < 0, 10'000);

    // A history row leads to its logs too.
    QTableView *table = view->table();
    const QModelIndex index = qobject_cast<QSortFilterProxyModel *>(table->model())
                                  ->mapFromSource(model->index(model->rowOf(bad), 0));
    const QPoint at = table->visualRect(index).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::LogsTab));
    QVERIFY(m_window->logView() && m_window->logView()->stream());
    QCOMPARE(m_window->logView()->stream()->target().job, bad);
    m_window->logsPage()->closeTab(m_window->logsPage()->tabs()->currentIndex());
    view->statusBox()->setCurrentIndex(0);
}

void TestUiWindow::helpMenuShortcutsAndAbout() {
    const QList<QPair<QString, QString>> keys = m_window->shortcuts();
    auto has = [&keys](const QKeySequence &seq, const QString &action) {
        return keys.contains({seq.toString(QKeySequence::NativeText), action});
    };
    QVERIFY(has(QKeySequence(Qt::Key_F1), QStringLiteral("Keyboard shortcuts")));
    QVERIFY(has(QKeySequence(Qt::CTRL | Qt::Key_N), QStringLiteral("Pull images")));
    QVERIFY(has(QKeySequence(Qt::CTRL | Qt::Key_3), QStringLiteral("History")));
    QVERIFY(has(QKeySequence(Qt::CTRL | Qt::Key_Q), QStringLiteral("Quit")));
    QDialog *dialog = m_window->showShortcuts();
    auto *table = dialog->findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), int(keys.size()));
    dialog->reject();

    const QString about = m_window->aboutText();
    QVERIFY2(about.contains(QStringLiteral(PULLWATCH_VERSION)), qPrintable(about));
    QVERIFY2(about.contains(QString::fromLatin1(qVersion())), qPrintable(about));
    QVERIFY2(about.contains(m_backend.baseUrl().toString()), qPrintable(about));

    // The documentation is the backend's own page, reachable without the internet.
    HttpClient http;
    const HttpResult page = http.get(m_window->helpUrl());
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("Demo outcomes"));
    QVERIFY(page.body.contains("library/notfound-x:1"));
}

void TestUiWindow::logToolbarStaysPut() {
    m_window->showTab(MainWindow::LogsTab);
    LogView *view = m_window->logsPage()->open(
        LogTarget{QStringLiteral("demo"), QStringLiteral("toolbar-check"), QString(), QString()});
    QVERIFY(view);
    QList<QWidget *> tools;
    for (QWidget *w : view->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly))
        if (qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w) ||
            qobject_cast<QCheckBox *>(w))
            tools.append(w);
    QVERIFY(tools.size() >= 4);
    auto positions = [&tools] {
        QList<int> xs;
        for (QWidget *w : tools)
            xs << w->x();
        return xs;
    };
    QApplication::processEvents();
    const QList<int> before = positions();
    view->setPaused(true); // "Resume", and "paused: 0 queued" appears
    QApplication::processEvents();
    QCOMPARE(positions(), before);
    view->setSearchText(QStringLiteral("seq"));
    QApplication::processEvents();
    QCOMPARE(positions(), before);
    view->setSearchText(QString());
    view->setPaused(false);
    m_window->logsPage()->closeTab(m_window->logsPage()->tabs()->indexOf(view));
}

// A feed destroyed while its socket is open leaves nothing behind that fires later (its
// socket's disconnected() once restarted the already destroyed reconnect timer, and the
// next test crashed when that timer fired into freed memory).
void TestUiWindow::catalogFeedDestroyedWhileOpen() {
    ApiClient client(m_backend.baseUrl(), QString());
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 10'000);
    for (int round = 0; round < 3; ++round) {
        auto feed = std::make_unique<CatalogFeed>(&client);
        QSignalSpy pods(feed.get(), &CatalogFeed::podsChanged);
        feed->watch(QStringLiteral("demo"));
        QVERIFY(pods.wait(10'000));
        feed.reset();
    }
    // Longer than the reconnect delay: a timer left running would fire now.
    QTest::qWait(CatalogFeed::kReconnectMs + 500);
    QCOMPARE(client.state(), ApiClient::State::Connected);
}

void TestUiWindow::settingsRestored() {
    // The last log selection is remembered when it is followed.
    LogSelector *selector = m_window->logsPage()->selector();
    // The demo namespace's pods (other tests left the selector elsewhere).
    selector->select(LogTarget{QStringLiteral("demo"), QStringLiteral("web-frontend-"), QString(),
                               QStringLiteral("nginx")});
    QString webPod;
    auto findWebPod = [&] {
        for (const auto &item : selector->names()->items())
            if (item.name.startsWith(QStringLiteral("web-frontend-")))
                webPod = item.name;
        return !webPod.isEmpty();
    };
    QTRY_VERIFY_WITH_TIMEOUT(findWebPod(), 10'000);
    selector->select(LogTarget{QStringLiteral("demo"), webPod, QString(), QStringLiteral("nginx")});
    QTRY_COMPARE_WITH_TIMEOUT(selector->currentTarget().pod, webPod, 10'000);
    QPushButton *follow = nullptr;
    for (QPushButton *b : selector->findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("&Follow"))
            follow = b;
    QVERIFY(follow);
    QTest::mouseClick(follow, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->logView() && m_window->logView()->receivedTotal() > 0,
                             20'000);
    m_window->logsPage()->closeTab(m_window->logsPage()->tabs()->currentIndex());
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
    LogSelector *restored = again.logsPage()->selector();
    QTRY_COMPARE_WITH_TIMEOUT(restored->currentTarget().pod, webPod, 10'000);
    QCOMPARE(restored->currentTarget().namespaceName, QStringLiteral("demo"));
    QCOMPARE(restored->currentTarget().container, QStringLiteral("nginx"));
    m_window->show();
}

// A backend that requires `token` (written to a file in `dir`); returns the file's path.
QString TestUiWindow::startSecured(PullwatchProcess &backend, const QTemporaryDir &dir,
                                   const QByteArray &token, const QStringList &extra) {
    const QString tokenFile = writeTempFile(dir, QStringLiteral("token"), token + '\n');
    if (tokenFile.isEmpty())
        return QString();
    const QStringList args = QStringList{"--headless", "--listen",     "127.0.0.1:0", "--log-level",
                                         "warning",    "--token-file", tokenFile} +
                             extra;
    return backend.start(args) ? tokenFile : QString();
}

void TestUiWindow::tokenSentAsBearer() {
    QTemporaryDir dir;
    PullwatchProcess secured;
    const QString tokenFile =
        startSecured(secured, dir, "ui-test-token-0123456789abcdef", {"--demo"});
    QVERIFY2(!tokenFile.isEmpty(), qPrintable(secured.error()));
    MainWindow withToken(secured.baseUrl(), QStringLiteral("ui-test-token-0123456789abcdef"));
    QTRY_COMPARE_WITH_TIMEOUT(withToken.client()->state(), ApiClient::State::Connected, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(withToken.client()->liveUpdates(), 10'000); // the WebSocket too
    QSignalSpy failed(withToken.client(), &ApiClient::failedPullsReceived);
    withToken.client()->refreshFailed();
    QVERIFY(failed.wait(10'000));

    // Without a token: refused once, not retried, asked for the token; the right one connects.
    auto versionRefusals = [&secured] {
        HttpClient http;
        QUrl url = secured.baseUrl();
        url.setPath(QStringLiteral("/metrics"));
        const QByteArray body =
            http.get(url, {{"Authorization", "Bearer ui-test-token-0123456789abcdef"}}).body;
        for (const QByteArray &line : body.split('\n'))
            if (line.startsWith("pullwatch_auth_refused_total{reason=\"unauthenticated\"}"))
                return line.mid(line.lastIndexOf(' ') + 1).toInt();
        return 0;
    };
    MainWindow without(secured.baseUrl());
    without.show();
    QTRY_COMPARE_WITH_TIMEOUT(without.client()->state(), ApiClient::State::Unauthorized, 10'000);
    QCOMPARE(without.banner()->problem(), ConnectionBanner::Problem::Unauthorized);
    QVERIFY2(without.banner()->text().contains(QStringLiteral("401")),
             qPrintable(without.banner()->text()));
    QVERIFY2(without.indicators()->text().contains(QStringLiteral("token refused")),
             qPrintable(without.indicators()->text()));
    QVERIFY(!without.indicators()->text().contains(QStringLiteral("backend up")));
    auto *prompt = without.findChild<QInputDialog *>(QStringLiteral("tokenDialog"));
    QVERIFY(prompt);
    QTRY_VERIFY(prompt->isVisible());
    QCOMPARE(prompt->textEchoMode(), QLineEdit::Password);
    // The window waits for the user: no retries pile up into the login throttle (429 after five).
    // A negative can only be seen by waiting; the old client retried within 0.5, 1 and 2 s.
    QTest::qWait(4000);
    QCOMPARE(versionRefusals(), 1);
    QCOMPARE(without.client()->state(), ApiClient::State::Unauthorized);
    QSignalSpy entered(&without, &MainWindow::tokenEntered);
    prompt->setTextValue(QStringLiteral("ui-test-token-0123456789abcdef"));
    prompt->accept();
    QTRY_COMPARE_WITH_TIMEOUT(without.client()->state(), ApiClient::State::Connected, 10'000);
    QCOMPARE(entered.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(without.client()->liveUpdates(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(without.banner()->isHidden(), 10'000);

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

void TestUiWindow::throttledSaysWhen() {
    QTemporaryDir dir;
    PullwatchProcess secured;
    QVERIFY2(!startSecured(secured, dir, "right-token-0123456789abcdef").isEmpty(),
             qPrintable(secured.error()));
    // Someone (not the window) tried wrong tokens until the server stopped listening to us.
    HttpClient http;
    QUrl version = secured.baseUrl();
    version.setPath(QStringLiteral("/api/version"));
    int status = 0;
    for (int i = 0; i < 10 && status != 429; ++i)
        status = http.get(version, {{"Authorization", "Bearer wrong-token"}}).status;
    QCOMPARE(status, 429);
    // A right token is never throttled (docs/architecture.md §6); another wrong one is told when.
    MainWindow window(secured.baseUrl(), QStringLiteral("still-the-wrong-token"));
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Throttled, 10'000);
    QCOMPARE(window.banner()->problem(), ConnectionBanner::Problem::Throttled);
    QVERIFY2(window.banner()->text().contains(QRegularExpression(QStringLiteral("in \\d+ s"))),
             qPrintable(window.banner()->text()));
    QVERIFY(window.client()->retryAt() > QDateTime::currentDateTime());
    QVERIFY2(!window.indicators()->text().contains(QStringLiteral("backend up")),
             qPrintable(window.indicators()->text()));
    QVERIFY(!window.banner()->actionButton()->isEnabled());
}

void TestUiWindow::noClusterIsARedBanner() {
    // `pullwatch` with no kubeconfig anywhere: the backend runs, but nothing can work.
    PullwatchProcess bare;
    QVERIFY2(bare.start({"--headless", "--listen", "127.0.0.1:0", "--log-level", "error"}),
             qPrintable(bare.error()));
    MainWindow window(bare.baseUrl());
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.banner()->problem(), ConnectionBanner::Problem::NoCluster,
                              15'000);
    QVERIFY(window.banner()->isVisible());
    QVERIFY2(window.banner()->text().contains(QStringLiteral("--demo")),
             qPrintable(window.banner()->text()));
    QCOMPARE(window.banner()->actionButton()->text(), QStringLiteral("Connect…"));
    QVERIFY2(window.indicators()->text().contains(QStringLiteral("no cluster")),
             qPrintable(window.indicators()->text()));
    QVERIFY2(!window.indicators()->text().contains(QStringLiteral("backend up")),
             qPrintable(window.indicators()->text()));
    QSignalSpy connectWanted(&window, &MainWindow::connectionRequested);
    QTest::mouseClick(window.banner()->actionButton(), Qt::LeftButton);
    QCOMPARE(connectWanted.size(), 1);

    // A first start that found no cluster asks where to connect, once.
    MainWindow first(bare.baseUrl());
    first.setOfferConnection(true);
    QSignalSpy offered(&first, &MainWindow::connectionRequested);
    first.show();
    QTRY_COMPARE_WITH_TIMEOUT(offered.size(), 1, 15'000);
    first.client()->fetchMetrics(); // the same state again: not asked twice
    QTRY_VERIFY(first.banner()->problem() == ConnectionBanner::Problem::NoCluster);
    QCOMPARE(offered.size(), 1);
}

void TestUiWindow::connectionDialogChoices() {
    QTemporaryDir dir;
    const QString kubeconfig = dir.filePath(QStringLiteral("config"));
    // Earlier choices are window state, offered first.
    QFile::remove(WindowState::filePath());
    ConnectionChoice earlier;
    earlier.kind = ConnectionChoice::Kind::Kubeconfig;
    earlier.kubeconfig = kubeconfig;
    earlier.context = QStringLiteral("prod");
    ConnectionHistory::remember(earlier);
    ConnectionChoice remote;
    remote.kind = ConnectionChoice::Kind::Remote;
    remote.url = QUrl(QStringLiteral("https://earlier.example:8080"));
    remote.token = QStringLiteral("never-stored");
    ConnectionHistory::remember(remote);
    QStringList listed;
    ConnectionDialog dialog(
        [&listed](const QString &file, QString *current, QString *error) {
            listed << file;
            if (!file.endsWith(QStringLiteral("config"))) {
                *error = file + QStringLiteral(": no such file");
                return QStringList();
            }
            *current = QStringLiteral("staging");
            return QStringList{QStringLiteral("prod"), QStringLiteral("staging")};
        },
        kubeconfig);
    dialog.show();
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    // The file's contexts, its current one chosen.
    QCOMPARE(listed, QStringList{kubeconfig});
    QCOMPARE(dialog.choice().kind, ConnectionChoice::Kind::Kubeconfig);
    QCOMPARE(dialog.contextBox()->currentText(), QStringLiteral("staging"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.choice().arguments(),
             (QStringList{"--kubeconfig", kubeconfig, "--context", "staging"}));
    // A file that cannot be read says why and cannot be chosen.
    dialog.kubeconfigEdit()->setText(dir.filePath(QStringLiteral("nope")));
    Q_EMIT dialog.kubeconfigEdit()->editingFinished();
    QVERIFY(!ok->isEnabled());
    QVERIFY2(dialog.problem().contains(QStringLiteral("no such file")),
             qPrintable(dialog.problem()));
    // The demo needs nothing more.
    dialog.choose(ConnectionChoice::Kind::Demo);
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.choice().arguments(), QStringList{"--demo"});
    // A remote server: a URL with http(s) and a host; the token never in the arguments.
    dialog.choose(ConnectionChoice::Kind::Remote);
    QVERIFY(!ok->isEnabled());
    QVERIFY2(dialog.problem().contains(QStringLiteral("http://")), qPrintable(dialog.problem()));
    QTest::keyClicks(dialog.urlEdit(), QStringLiteral("ftp://host"));
    QVERIFY(!ok->isEnabled());
    dialog.urlEdit()->setText(QStringLiteral("https://pw.example:8443"));
    QTest::keyClicks(dialog.tokenEdit(), QStringLiteral("remote-token"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
    QCOMPARE(dialog.choice().arguments(), (QStringList{"--connect", "https://pw.example:8443"}));
    QCOMPARE(dialog.choice().token, QStringLiteral("remote-token"));
    QVERIFY(dialog.choice().rememberToken);

    // The history, newest first; picking one fills the dialog. No token is in the state.
    QCOMPARE(dialog.recentBox()->count(), 3);
    QCOMPARE(dialog.recentBox()->itemData(1).toString(), remote.key());
    QCOMPARE(dialog.recentBox()->itemData(2).toString(), earlier.key());
    dialog.recentBox()->setCurrentIndex(2);
    Q_EMIT dialog.recentBox()->activated(2);
    QCOMPARE(dialog.choice().arguments(),
             (QStringList{"--kubeconfig", kubeconfig, "--context", "prod"}));
    QFile state(WindowState::filePath());
    QVERIFY(state.open(QIODevice::ReadOnly));
    QVERIFY(!state.readAll().contains("never-stored"));
}

void TestUiWindow::tokenKeptOnlyInTheKeychain() {
    // Stored through QtKeychain: either the desktop keychain keeps it, or the answer says
    // why not — and in no case is it written to a file of ours.
    const QUrl server(QStringLiteral("https://keychain-test.example:8080"));
    const QString token = QStringLiteral("keychain-test-token-%1")
                              .arg(QDateTime::currentMSecsSinceEpoch());
    bool answered = false;
    QString storeError;
    TokenKeychain::store(server, token, this, [&](const QString &error) {
        answered = true;
        storeError = error;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 30'000);
    if (storeError.isEmpty()) {
        QString kept;
        bool loaded = false;
        TokenKeychain::load(server, this, [&](const QString &t, const QString &) {
            kept = t;
            loaded = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(loaded, 30'000);
        QCOMPARE(kept, token);
    } else {
        qInfo("no desktop keychain here: %s", qPrintable(storeError));
        QVERIFY2(storeError.contains(QStringLiteral("keychain")), qPrintable(storeError));
    }
    for (const QString &root : {QDir::homePath() + QStringLiteral("/.qttest"),
                                QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
                                QFileInfo(WindowState::filePath()).absolutePath()}) {
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.size() < 1 << 20 && f.open(QIODevice::ReadOnly))
                QVERIFY2(!f.readAll().contains(token.toUtf8()), qPrintable(f.fileName()));
        }
    }
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
    // isHidden(): hidden by the role itself, whichever tab the saved window state shows.
    QVERIFY(pullButton(viewer) && pullButton(viewer)->isHidden());
    QVERIFY(pullAction(viewer) && !pullAction(viewer)->isEnabled());
    QVERIFY(viewer.statusBar()->currentMessage().contains(QStringLiteral("Read only")));
    // Nor does the pull menu offer them.
    PullJob failedPull;
    failedPull.id = QStringLiteral("image-puller-x");
    failedPull.namespaceName = QStringLiteral("default");
    failedPull.status = PullStatus::Failed;
    std::unique_ptr<QMenu> menu(viewer.pullActions()->menuFor(failedPull, &viewer));
    for (QAction *a : menu->actions())
        if (a->text().remove(u'&').startsWith(QStringLiteral("Retry")) ||
            a->text().remove(u'&').startsWith(QStringLiteral("Cancel")))
            QVERIFY2(!a->isEnabled(), qPrintable(a->text()));

    MainWindow admin(secured.baseUrl(), QString::fromLatin1(TestJwt::hmac(
                                            TestJwt::platformClaims(now, QStringLiteral("alice"), true), secret)));
    admin.show();
    QTRY_COMPARE_WITH_TIMEOUT(admin.client()->state(), ApiClient::State::Connected, 10'000);
    QSignalSpy started(admin.client(), &ApiClient::pullsStarted);
    admin.client()->startPulls({QStringLiteral("nginx:1.27")});
    QVERIFY(started.wait(10'000));
    QVERIFY(admin.client()->canOperate());
    QVERIFY(!pullButton(admin)->isHidden());
    QVERIFY(pullAction(admin)->isEnabled());
}

QTEST_MAIN(TestUiWindow)
#include "tst_ui_window.moc"
