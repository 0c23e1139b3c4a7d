// The desktop window against the real backend (a `pullwatch --headless --demo` process on a
// loopback port, kubesim inside), driven through the widgets on the offscreen platform:
// the log selector and its live lists, following logs, a pull
// row leading to its logs, the log toolbar and the settings restored at the next start.
#include "pullwatchprocess.h"
#include "uiwindowfixture.h"
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

using namespace pw::core;
using namespace pw::ui;

namespace {

// The "chatty seq=N" number in a kubesim generated line, or -1.
qint64 chattySeq(const QString &line) {
    static const QRegularExpression re(QStringLiteral("chatty seq=(\\d+)"));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

class TestUiWindowLogs : public UiWindowFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startBackendAndWindow(); }
    void cleanupTestCase() { stopBackendAndWindow(); }
    void selectorListsFromApi();
    void selectorListsUpdateLive();
    void catalogFeedDestroyedWhileOpen();
    void followChattyLogs();
    void pullRowLeadsToLogs();
    void logToolbarStaysPut();
    void settingsRestored();
};

void TestUiWindowLogs::selectorListsFromApi() {
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
void TestUiWindowLogs::selectorListsUpdateLive() {
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

void TestUiWindowLogs::followChattyLogs() {
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

void TestUiWindowLogs::pullRowLeadsToLogs() {
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

void TestUiWindowLogs::logToolbarStaysPut() {
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
void TestUiWindowLogs::catalogFeedDestroyedWhileOpen() {
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

void TestUiWindowLogs::settingsRestored() {
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

QTEST_MAIN(TestUiWindowLogs)
#include "tst_ui_window_logs.moc"
