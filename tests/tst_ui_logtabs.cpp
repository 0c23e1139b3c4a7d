// The Logs tab's tabs against the real backend: a `pullwatch --headless --demo` process on a
// loopback port (kubesim inside, with the demo namespace's web server, two-container batch
// worker and JSON-logging importer), driven through the widgets on the offscreen platform.
// One tab per followed target, unread counts, closing and saving a tab, since/previous, the
// selector's controls, and pull rows leading to Job tabs (a tab's view:
// tst_ui_logtabs_view; lines and file names: tst_ui_logtabs_format).
#include "httpclient.h"
#include "uilogtabsfixture.h"

#include "ui/activepullsmodel.h"
#include "ui/activepullsview.h"
#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logselector.h"
#include "ui/logspage.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/namelistmodel.h"
#include "ui/pullactions.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace pw::ui;

class TestUiLogTabs : public UiLogTabsFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startLogsPage(); }
    void cleanupTestCase() { stopBackendAndWindow(); }
    void cleanup() { closeLogTabs(); }
    void twoTargetsTwoTabs();
    void unreadCountInTitle();
    void closingTabStopsItsStream();
    void saveWritesThatTabOnly();
    void sinceReachesTheServer();
    void previousReachesTheServer();
    void selectorControlsBuildTheTarget();
    void pullRowOpensJobTab();

private:
    int logStreamsGauge();
};

// The server's count of shared upstream log streams (one per followed container).
int TestUiLogTabs::logStreamsGauge() {
    HttpClient http;
    const HttpResult r =
        http.get(QUrl(m_backend.baseUrl().toString() + QStringLiteral("/metrics")));
    static const QRegularExpression re(QStringLiteral("^pullwatch_ws_log_streams (\\d+)$"),
                                       QRegularExpression::MultilineOption);
    const auto m = re.match(QString::fromUtf8(r.body));
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

void TestUiLogTabs::twoTargetsTwoTabs() {
    const LogTarget web = demoTarget(QStringLiteral("web-frontend-"), QStringLiteral("nginx"));
    const LogTarget worker = demoTarget(QStringLiteral("batch-worker-"), QStringLiteral("worker"));
    QVERIFY(!web.pod.isEmpty() && !worker.pod.isEmpty());
    LogView *webView = m_page->open(web);
    LogView *workerView = m_page->open(worker);
    QVERIFY(webView && workerView && webView != workerView);
    QCOMPARE(m_page->count(), 2);
    QCOMPARE(m_page->current(), workerView); // following a target shows it
    QTRY_VERIFY_WITH_TIMEOUT(lineRows(webView).size() >= 3 && lineRows(workerView).size() >= 3,
                             20'000);
    // Each tab has its own lines.
    for (const QModelIndex &i : lineRows(webView))
        QVERIFY2(i.data().toString().contains(QStringLiteral("HTTP/1.1")),
                 qPrintable(i.data().toString()));
    for (const QModelIndex &i : lineRows(workerView))
        QVERIFY2(i.data().toString().contains(QStringLiteral("processed batch")),
                 qPrintable(i.data().toString()));
    // Following an open target again switches to its tab; nothing new opens.
    QCOMPARE(m_page->open(web), webView);
    QCOMPARE(m_page->count(), 2);
    QCOMPARE(m_page->current(), webView);
    // The selector's Follow does the same.
    QSignalSpy follow(m_page->selector(), &LogSelector::followRequested);
    Q_EMIT m_page->selector()->followRequested(worker);
    QCOMPARE(m_page->current(), workerView);
    QCOMPARE(m_page->count(), 2);
    QCOMPARE(m_page->tabs()->tabToolTip(0), web.describe());
}

void TestUiLogTabs::unreadCountInTitle() {
    const LogTarget web = demoTarget(QStringLiteral("web-frontend-"), QStringLiteral("nginx"));
    const LogTarget worker = demoTarget(QStringLiteral("batch-worker-"), QStringLiteral("worker"));
    LogView *webView = m_page->open(web);
    LogView *workerView = m_page->open(worker);
    const int webIndex = m_page->tabs()->indexOf(webView);
    const int workerIndex = m_page->tabs()->indexOf(workerView);
    // The web tab is not current: its new lines are counted in its title.
    QTRY_VERIFY_WITH_TIMEOUT(m_page->unreadAt(webIndex) > 0, 20'000);
    QCOMPARE(m_page->unreadAt(workerIndex), qint64(0));
    static const QRegularExpression counted(QStringLiteral("^(.*) \\((\\d+)\\)$"));
    const auto m = counted.match(m_page->tabs()->tabText(webIndex));
    QVERIFY2(m.hasMatch(), qPrintable(m_page->tabs()->tabText(webIndex)));
    QCOMPARE(m.captured(1), LogsPage::titleFor(web));
    QCOMPARE(m.captured(2).toLongLong(), m_page->unreadAt(webIndex));
    QCOMPARE(m_page->tabs()->tabText(workerIndex), LogsPage::titleFor(worker));
    // Shown: read.
    m_page->tabs()->setCurrentIndex(webIndex);
    QCOMPARE(m_page->unreadAt(webIndex), qint64(0));
    QCOMPARE(m_page->tabs()->tabText(webIndex), LogsPage::titleFor(web));
    QTRY_VERIFY_WITH_TIMEOUT(m_page->unreadAt(workerIndex) > 0, 20'000);
}

void TestUiLogTabs::closingTabStopsItsStream() {
    // The importer's container is followed by this tab alone: one shared upstream stream.
    const int before = logStreamsGauge();
    QVERIFY(before >= 0);
    LogView *view =
        m_page->open(demoTarget(QStringLiteral("flaky-importer-"), QStringLiteral("importer")));
    QPointer<LogStream> stream = view->stream();
    QVERIFY(stream);
    QTRY_VERIFY_WITH_TIMEOUT(view->receivedTotal() > 0, 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(logStreamsGauge(), before + 1, 10'000);
    m_page->closeTab(m_page->tabs()->indexOf(view));
    QCOMPARE(m_page->count(), 0);
    QTRY_VERIFY(stream.isNull()); // the stream is gone with its tab
    QTRY_COMPARE_WITH_TIMEOUT(logStreamsGauge(), before, 15'000);
}

void TestUiLogTabs::saveWritesThatTabOnly() {
    const LogTarget web = demoTarget(QStringLiteral("web-frontend-"), QStringLiteral("nginx"));
    const LogTarget worker = demoTarget(QStringLiteral("batch-worker-"), QStringLiteral("worker"));
    LogView *webView = m_page->open(web);
    LogView *workerView = m_page->open(worker);
    QTRY_VERIFY_WITH_TIMEOUT(lineRows(webView).size() >= 3 && lineRows(workerView).size() >= 3,
                             20'000);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString name = workerView->suggestedFileName(now);
    QCOMPARE(name, QStringLiteral("demo_%1_worker_%2.log")
                       .arg(worker.pod, now.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"))));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    workerView->setPaused(true); // a fixed set of rows to compare with
    const QString path = dir.filePath(name);
    QString error;
    QVERIFY2(workerView->saveTo(path, &error), qPrintable(error));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(saved.readAll());
    QCOMPARE(text.count(u'\n'), workerView->model()->rowCount());
    QVERIFY(text.contains(QStringLiteral("processed batch")));
    QVERIFY2(!text.contains(QStringLiteral("HTTP/1.1")), "another tab's lines were saved");
    workerView->setPaused(false);
}

void TestUiLogTabs::sinceReachesTheServer() {
    // Without since: the tail reaches back before `since`. With sinceTime: nothing older.
    QTest::qWait(2100); // the demo's pods have logged for a while (whole seconds)
    const QDateTime since = QDateTime::currentDateTimeUtc().addSecs(-1);
    const QDateTime sinceSecond = since.addMSecs(-since.time().msec());
    LogTarget all = demoTarget(QStringLiteral("web-frontend-"), QStringLiteral("nginx"));
    all.tailLines = 1000;
    LogView *allView = m_page->open(all);
    LogTarget recent = all;
    recent.sinceTime = since;
    // since is not part of what makes a tab (the target is): the first tab goes first.
    QTRY_VERIFY_WITH_TIMEOUT(lineRows(allView).size() >= 3, 20'000);
    QVERIFY(stampOf(lineRows(allView).first().data().toString()) < sinceSecond);
    m_page->closeTab(m_page->tabs()->indexOf(allView));
    LogView *view = m_page->open(recent);
    const QUrlQuery q = view->stream()->lastQuery();
    QCOMPARE(q.queryItemValue(QStringLiteral("sinceTime")), sinceSecond.toString(Qt::ISODate));
    QVERIFY(!q.hasQueryItem(QStringLiteral("sinceSeconds")));
    QTRY_VERIFY_WITH_TIMEOUT(lineRows(view).size() >= 2, 20'000);
    for (const QModelIndex &i : lineRows(view))
        QVERIFY2(stampOf(i.data().toString()) >= sinceSecond, qPrintable(i.data().toString()));
}

void TestUiLogTabs::previousReachesTheServer() {
    // The web server never restarted: the cluster has no previous run, and says so.
    LogTarget target = demoTarget(QStringLiteral("web-frontend-"), QStringLiteral("nginx"));
    target.previous = true;
    LogView *view = m_page->open(target);
    QCOMPARE(view->stream()->lastQuery().queryItemValue(QStringLiteral("previous")),
             QStringLiteral("true"));
    QCOMPARE(m_page->tabs()->tabText(m_page->tabs()->currentIndex()), LogsPage::titleFor(target));
    QVERIFY(LogsPage::titleFor(target).endsWith(QStringLiteral("(previous)")));
    auto sawPrevious = [view] {
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->kindAt(r) != LogModel::Kind::Line &&
                view->model()->displayText(r).contains(
                    QStringLiteral("previous terminated container")))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawPrevious(), 20'000);
    QCOMPARE(lineRows(view).size(), 0);
    // The same pod without previous is another tab.
    target.previous = false;
    LogView *live = m_page->open(target);
    QVERIFY(live != view);
    QCOMPARE(m_page->count(), 2);
}

void TestUiLogTabs::selectorControlsBuildTheTarget() {
    LogSelector *selector = m_page->selector();
    selector->select(demoTarget(QStringLiteral("batch-worker-"), QStringLiteral("*")));
    QTRY_VERIFY_WITH_TIMEOUT(selector->containers()->rowOf(QStringLiteral("log-shipper")) >= 0,
                             10'000);
    QTRY_COMPARE(selector->currentTarget().container, QStringLiteral("*"));
    selector->sinceBox()->setCurrentIndex(LogSelector::Since5Min);
    selector->previousBox()->setChecked(true);
    LogTarget t = selector->currentTarget();
    QCOMPARE(t.sinceSeconds, 300);
    QVERIFY(t.previous);
    selector->previousBox()->setChecked(false);
    selector->sinceBox()->setCurrentIndex(LogSelector::Since1Hour);
    QCOMPARE(selector->currentTarget().sinceSeconds, 3600);
    selector->sinceBox()->setCurrentIndex(LogSelector::SinceTime);
    QVERIFY(selector->sinceTimeEdit()->isVisibleTo(selector));
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(-600);
    selector->sinceTimeEdit()->setDateTime(at.toLocalTime());
    t = selector->currentTarget();
    QCOMPARE(t.sinceSeconds, 0);
    QCOMPARE(t.sinceTime.toSecsSinceEpoch(), at.toSecsSinceEpoch());
    selector->sinceBox()->setCurrentIndex(LogSelector::Since24Hours);
    // "All containers" follows the pod merged, with the chosen since, in a new tab.
    auto *all = selector->findChild<QPushButton *>(QStringLiteral("followAllButton"));
    QVERIFY(all);
    QTest::mouseClick(all, Qt::LeftButton);
    QCOMPARE(m_page->count(), 1);
    LogView *view = m_page->current();
    QCOMPARE(view->target().container, QStringLiteral("*"));
    const QUrlQuery q = view->stream()->lastQuery();
    QCOMPARE(q.queryItemValue(QStringLiteral("container")), QStringLiteral("*"));
    QCOMPARE(q.queryItemValue(QStringLiteral("sinceSeconds")), QStringLiteral("86400"));
    QVERIFY(!q.hasQueryItem(QStringLiteral("previous")));
    QTRY_COMPARE_WITH_TIMEOUT(sourcesOf(view).size(), 2, 30'000);
    selector->sinceBox()->setCurrentIndex(LogSelector::SinceAll);

    // Selector mode: a label selector instead of a pod; Enter follows it.
    auto *mode = selector->findChild<QComboBox *>(QStringLiteral("modeBox"));
    QVERIFY(mode);
    QCOMPARE(mode->itemText(int(LogSelector::Mode::Selector)), QStringLiteral("Selector"));
    mode->setCurrentIndex(int(LogSelector::Mode::Selector));
    auto *edit = selector->findChild<QLineEdit *>(QStringLiteral("selectorEdit"));
    QVERIFY(edit && edit->isVisibleTo(selector));
    QVERIFY(!selector->findChild<QComboBox *>(QStringLiteral("nameBox"))->isVisibleTo(selector));
    edit->setText(QStringLiteral("app=web-frontend"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_page->count(), 2);
    QCOMPARE(m_page->current()->target().selector, QStringLiteral("app=web-frontend"));
    QVERIFY(m_page->current()->target().pod.isEmpty());
    QCOMPARE(m_page->current()->stream()->lastQuery().queryItemValue(QStringLiteral("selector")),
             QStringLiteral("app=web-frontend"));
    mode->setCurrentIndex(int(LogSelector::Mode::Pod));
}

void TestUiLogTabs::pullRowOpensJobTab() {
    QSignalSpy started(m_window->client(), &ApiClient::pullsStarted);
    m_window->client()->startPulls({QStringLiteral("chatty/logtabs:1")});
    QVERIFY(started.wait(10'000));
    const QString id = started.at(0).at(0).toStringList().value(0);
    QVERIFY(!id.isEmpty());
    m_window->showTab(MainWindow::ActiveTab);
    ActivePullsModel *model = m_window->activeModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        model->rowOf(id) >= 0 && !model->pullAt(model->rowOf(id)).namespaceName.isEmpty(), 10'000);
    QSignalSpy asked(m_window->pullActions(), &PullActions::viewLogsRequested);
    QTableView *table = m_window->activeView()->table();
    const QModelIndex index = m_window->activeView()->proxy()->mapFromSource(
        model->index(model->rowOf(id), ActivePullsModel::Image));
    table->setFocus();
    table->setCurrentIndex(index);
    // L on the row: the Logs tab, on a new tab following the pull's Job, every container.
    QTest::keyClick(table, Qt::Key_L);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::LogsTab));
    QCOMPARE(m_page->count(), 1);
    LogView *view = m_page->current();
    QCOMPARE(view->target().job, id);
    QCOMPARE(view->target().container, QStringLiteral("*"));
    QCOMPARE(view->stream()->lastQuery().queryItemValue(QStringLiteral("job")), id);
    // Merged lines name their pod and container (the Job's pod).
    QTRY_VERIFY_WITH_TIMEOUT(!lineRows(view).isEmpty(), 60'000);
    const QString source = lineRows(view).first().data(LogModel::SourceRole).toString();
    QVERIFY2(source.startsWith(id), qPrintable(source));
    // Again from the same row: the same tab.
    m_window->showTab(MainWindow::ActiveTab);
    table->setFocus();
    QTest::keyClick(table, Qt::Key_L);
    QCOMPARE(m_page->count(), 1);
    m_window->client()->cancelPull(id);
}

QTEST_MAIN(TestUiLogTabs)
#include "tst_ui_logtabs.moc"
