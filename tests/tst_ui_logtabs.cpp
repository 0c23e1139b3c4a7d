// The Logs tab's tabs against the real backend: a `pullwatch --headless --demo` process on a
// loopback port (kubesim inside, with the demo namespace's web server, two-container batch
// worker and JSON-logging importer), driven through the widgets on the offscreen platform.
// One tab per followed target, merged views with pod/container prefixes, levels, JSON
// indenting, the jump-to-end button, since/previous, and pull rows leading to Job tabs.
#include "httpclient.h"
#include "pullwatchprocess.h"

#include "ui/activepullsmodel.h"
#include "ui/activepullsview.h"
#include "ui/apiclient.h"
#include "ui/jumptobottom.h"
#include "ui/logcolours.h"
#include "ui/logdelegate.h"
#include "ui/logfilename.h"
#include "ui/logmarkers.h"
#include "ui/loglevel.h"
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
#include <QHash>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>

#include <memory>

using namespace pw::ui;

Q_DECLARE_METATYPE(LogLevel)

namespace {

// The time at the front of a line streamed with timestamps=true.
QDateTime stampOf(const QString &line) {
    return QDateTime::fromString(line.section(u' ', 0, 0), Qt::ISODateWithMs);
}

// The Line rows of a view's shown model.
QList<QModelIndex> lineRows(LogView *view) {
    QList<QModelIndex> rows;
    QAbstractItemModel *m = view->view()->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex i = m->index(r, 0);
        if (i.data(LogModel::KindRole).toInt() == int(LogModel::Kind::Line))
            rows.append(i);
    }
    return rows;
}

QSet<QString> sourcesOf(LogView *view) {
    QSet<QString> sources;
    for (const QModelIndex &i : lineRows(view))
        sources.insert(i.data(LogModel::SourceRole).toString());
    return sources;
}

} // namespace

class TestUiLogTabs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void levels_data();
    void levels();
    void sourceColoursStable();
    void sourceMarkers_data();
    void sourceMarkers();
    void fileNames_data();
    void fileNames();
    void twoTargetsTwoTabs();
    void unreadCountInTitle();
    void closingTabStopsItsStream();
    void saveWritesThatTabOnly();
    void mergedSelectorPrefixesEachContainer();
    void clickingPrefixFilters();
    void jsonPrettyToggle();
    void jumpToBottomCounts();
    void sinceReachesTheServer();
    void previousReachesTheServer();
    void selectorControlsBuildTheTarget();
    void pullRowOpensJobTab();

private:
    QString podNamed(const QString &prefix);
    LogTarget demoTarget(const QString &podPrefix, const QString &container);
    int logStreamsGauge();

    PullwatchProcess m_backend;
    std::unique_ptr<MainWindow> m_window;
    LogsPage *m_page = nullptr;
};

void TestUiLogTabs::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_backend.start(
                 {"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level", "warning"}),
             qPrintable(m_backend.error()));
    QProcess *p = &m_backend.process();
    connect(p, &QProcess::readyReadStandardError, p, [p] { p->readAllStandardError(); });
    connect(p, &QProcess::readyReadStandardOutput, p, [p] { p->readAllStandardOutput(); });
    m_window = std::make_unique<MainWindow>(m_backend.baseUrl());
    m_window->resize(1200, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ApiClient::State::Connected, 10'000);
    m_page = m_window->logsPage();
    m_window->showTab(MainWindow::LogsTab);
}

void TestUiLogTabs::cleanupTestCase() {
    m_window.reset();
    m_backend.terminate();
}

// Every test starts with no log tab open.
void TestUiLogTabs::cleanup() {
    while (m_page->count() > 0)
        m_page->closeTab(0);
    m_window->showTab(MainWindow::LogsTab);
}

QString TestUiLogTabs::podNamed(const QString &prefix) {
    QString found;
    QObject context;
    connect(m_window->client(), &ApiClient::podsReceived, &context,
            [&found, &prefix](const QString &ns, const QString &, const QList<PodInfo> &pods) {
                if (ns != QStringLiteral("demo"))
                    return;
                for (const PodInfo &pod : pods)
                    if (pod.name.startsWith(prefix))
                        found = pod.name;
            });
    m_window->client()->fetchPods(QStringLiteral("demo"));
    if (!QTest::qWaitFor([&found] { return !found.isEmpty(); }, 10'000))
        qWarning("no demo pod named %s*", qPrintable(prefix));
    return found;
}

LogTarget TestUiLogTabs::demoTarget(const QString &podPrefix, const QString &container) {
    LogTarget t;
    t.namespaceName = QStringLiteral("demo");
    t.pod = podNamed(podPrefix);
    t.container = container;
    t.tailLines = 50;
    return t;
}

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

void TestUiLogTabs::levels_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<LogLevel>("level");
    QTest::newRow("upper-case word")
        << "2026-12-06 INFO worker: processed batch 3" << LogLevel::Info;
    QTest::newRow("ERROR word") << "ERROR importer: lost the connection" << LogLevel::Error;
    QTest::newRow("FATAL word") << "main FATAL cannot bind :80" << LogLevel::Error;
    QTest::newRow("WARNING word") << "WARNING: disk 91% full" << LogLevel::Warn;
    QTest::newRow("[WARN] bracketed") << "[WARN] slow request" << LogLevel::Warn;
    QTest::newRow("[warn] bracketed lower case") << "12:00 [warn] retrying" << LogLevel::Warn;
    QTest::newRow("[debug] bracketed") << "[debug] cache miss" << LogLevel::Debug;
    QTest::newRow("TRACE word") << "TRACE enter handler" << LogLevel::Trace;
    QTest::newRow("level=error") << "ts=1 level=error msg=\"boom\"" << LogLevel::Error;
    QTest::newRow("level=info (logfmt)")
        << "level=info ts=2026-12-06T05:00:00Z msg=\"heartbeat\"" << LogLevel::Info;
    QTest::newRow("lvl=warn") << "lvl=warn msg=x" << LogLevel::Warn;
    QTest::newRow("severity=\"debug\"") << "severity=\"debug\" msg=x" << LogLevel::Debug;
    QTest::newRow("JSON level") << R"({"level":"warn","msg":"imported rows"})" << LogLevel::Warn;
    QTest::newRow("JSON severity")
        << R"({"msg":"x","severity":"ERROR","ts":"2026"})" << LogLevel::Error;
    QTest::newRow("JSON lvl") << R"({"lvl": "debug", "msg": "x"})" << LogLevel::Debug;
    QTest::newRow("JSON pino number") << R"({"level":50,"msg":"x"})" << LogLevel::Error;
    QTest::newRow("JSON level wins over words")
        << R"({"level":"info","msg":"ERROR count 0"})" << LogLevel::Info;
    QTest::newRow("lower-case word alone is not a level") << "no error here" << LogLevel::None;
    QTest::newRow("access log") << "10.0.0.1 - - \"GET /api/v1 HTTP/1.1\" 200 512"
                                << LogLevel::None;
    QTest::newRow("part of a word") << "INFORMATION only" << LogLevel::None;
    QTest::newRow("empty") << "" << LogLevel::None;
}

void TestUiLogTabs::levels() {
    QFETCH(QString, line);
    QFETCH(LogLevel, level);
    QCOMPARE(LogLevels::classify(line), level);
    // The model stores it when the line comes (after the timestamp).
    LogModel model;
    model.appendLines({QStringLiteral("2026-12-06T05:00:00.123Z ") + line});
    QCOMPARE(LogLevel(model.index(0).data(LogModel::LevelRole).toInt()), level);
    QCOMPARE(model.levelAt(0), level);
}

void TestUiLogTabs::sourceColoursStable() {
    const QString a = QStringLiteral("batch-worker-5f7b9c8d4-abcde/worker");
    LogModel first;
    LogModel second;
    first.appendLines({QStringLiteral("x")}, -1, a);
    second.appendLines({QStringLiteral("y"), QStringLiteral("z")}, -1, a);
    const QColor colour = first.index(0).data(LogModel::SourceColourRole).value<QColor>();
    QVERIFY(colour.isValid());
    QCOMPARE(second.index(1).data(LogModel::SourceColourRole).value<QColor>(), colour);
    QCOMPARE(LogColours::forSource(a), colour);
    // Readable on light and dark backgrounds: neither near white nor near black.
    for (const QString &s :
         {a, QStringLiteral("p/log-shipper"), QStringLiteral("q/importer"),
          QStringLiteral("r/nginx"), QStringLiteral("s/a"), QStringLiteral("t/b")}) {
        const int lightness = LogColours::forSource(s).lightness();
        QVERIFY2(lightness > 60 && lightness < 190, qPrintable(s));
    }
    // The sources of one view get different colours while the palette lasts, even when their
    // names hash to the same place.
    LogModel many;
    QSet<QRgb> seen;
    for (int i = 0; i < LogColours::paletteSize(); ++i)
        many.appendLines({QStringLiteral("x")}, -1, QStringLiteral("pod/c%1").arg(i));
    for (int r = 0; r < many.rowCount(); ++r)
        seen.insert(many.index(r).data(LogModel::SourceColourRole).value<QColor>().rgb());
    QCOMPARE(int(seen.size()), LogColours::paletteSize());
    // Lines without a source have no prefix.
    LogModel plain;
    plain.appendLines({QStringLiteral("x")});
    QVERIFY(plain.index(0).data(LogModel::SourceRole).toString().isEmpty());
    QVERIFY(!plain.index(0).data(LogModel::SourceColourRole).isValid());
}

void TestUiLogTabs::sourceMarkers_data() {
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("text");
    const int info = int(LogModel::Kind::Info);
    const int gap = int(LogModel::Kind::Gap);
    QTest::newRow("streaming: its lines say so") << "streaming"
                                                 << "" << info << "";
    QTest::newRow("exited with an error") << "ended"
                                          << "container importer terminated (Error, exit code 1)"
                                          << gap << "p/c: container exited (code 1)";
    QTest::newRow("finished") << "ended"
                              << "container c terminated (Completed, exit code 0)" << info
                              << "p/c: container exited (code 0)";
    QTest::newRow("pod deleted") << "ended"
                                 << "pod p was deleted" << info << "p/c: pod deleted";
    QTest::newRow("ended, no reason") << "ended"
                                      << "" << info << "p/c: ended";
    QTest::newRow("reconnecting") << "reconnecting"
                                  << "the log stream was cut; resuming"
                                  << int(LogModel::Kind::Reconnect)
                                  << "p/c: reconnecting… (the log stream was cut; resuming)";
    QTest::newRow("limited") << "limited"
                             << "51 pods match; max_pods is 50" << gap
                             << "p/c: not followed — 51 pods match; max_pods is 50";
    QTest::newRow("waiting") << "waiting"
                             << "ContainerCreating" << info << "p/c: waiting — ContainerCreating";
}

void TestUiLogTabs::sourceMarkers() {
    QFETCH(QString, state);
    QFETCH(QString, detail);
    QFETCH(int, kind);
    QFETCH(QString, text);
    const LogMarkers::Marker m = LogMarkers::forSource(QStringLiteral("p/c"), state, detail);
    QCOMPARE(m.text, text);
    if (!text.isEmpty())
        QCOMPARE(int(m.kind), kind);
}

void TestUiLogTabs::fileNames_data() {
    QTest::addColumn<QString>("pod");
    QTest::addColumn<QString>("job");
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("expected");
    QTest::newRow("pod and container") << "web-1"
                                       << ""
                                       << ""
                                       << "nginx"
                                       << "demo_web-1_nginx_20261206T051502Z.log";
    QTest::newRow("pod, every container") << "web-1"
                                          << ""
                                          << ""
                                          << "*"
                                          << "demo_web-1_all_20261206T051502Z.log";
    QTest::newRow("job, every container") << ""
                                          << "pull-abc"
                                          << ""
                                          << "*"
                                          << "demo_pull-abc_all_20261206T051502Z.log";
    QTest::newRow("selector sanitised") << ""
                                        << ""
                                        << "app in (a,b)"
                                        << ""
                                        << "demo_app-in--a-b-_all_20261206T051502Z.log";
    QTest::newRow("selector with =") << ""
                                     << ""
                                     << "app=batch-worker"
                                     << "worker"
                                     << "demo_app-batch-worker_worker_20261206T051502Z.log";
}

void TestUiLogTabs::fileNames() {
    QFETCH(QString, pod);
    QFETCH(QString, job);
    QFETCH(QString, selector);
    QFETCH(QString, container);
    QFETCH(QString, expected);
    LogTarget t;
    t.namespaceName = QStringLiteral("demo");
    t.pod = pod;
    t.job = job;
    t.selector = selector;
    t.container = container;
    // A local time is written in UTC.
    const QDateTime when = QDateTime(QDate(2026, 12, 6), QTime(6, 15, 2), Qt::OffsetFromUTC, 3600);
    QCOMPARE(LogFileName::suggest(t, when), expected);
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

void TestUiLogTabs::mergedSelectorPrefixesEachContainer() {
    LogTarget target;
    target.namespaceName = QStringLiteral("demo");
    target.selector = QStringLiteral("app=batch-worker");
    target.tailLines = 20;
    LogView *view = m_page->open(target);
    QVERIFY(view);
    QCOMPARE(view->stream()->lastQuery().queryItemValue(QStringLiteral("selector")),
             QStringLiteral("app=batch-worker"));
    const QString pod = podNamed(QStringLiteral("batch-worker-"));
    const QSet<QString> both{pod + QStringLiteral("/worker"), pod + QStringLiteral("/log-shipper")};
    QTRY_COMPARE_WITH_TIMEOUT(sourcesOf(view), both, 30'000);
    // Each line carries its source; the prefix is painted before it, in the source's colour.
    auto *delegate = qobject_cast<LogDelegate *>(view->view()->itemDelegate());
    QVERIFY(delegate);
    // Each source keeps one colour on every row, and the two sources of the view differ (a
    // source whose hashed colour another already holds takes the next free one, so the colour
    // depends on the pods' random names: compare sources with each other, not with the hash).
    QHash<QString, QColor> colours;
    for (const QModelIndex &i : lineRows(view)) {
        const QString source = i.data(LogModel::SourceRole).toString();
        const QColor colour = i.data(LogModel::SourceColourRole).value<QColor>();
        QVERIFY(colour.isValid());
        QCOMPARE(colours.value(source, colour), colour);
        colours.insert(source, colour);
        QVERIFY(delegate->prefixWidth(view->view()->font(), i) >
                QFontMetrics(view->view()->font()).horizontalAdvance(source));
        if (source.endsWith(QStringLiteral("/log-shipper")))
            QVERIFY(i.data().toString().contains(QStringLiteral("heartbeat")));
        else
            QVERIFY(i.data().toString().contains(QStringLiteral("processed batch")));
    }
    QCOMPARE(colours.size(), 2);
    QVERIFY2(colours.value(both.values().first()) != colours.value(both.values().last()),
             "the two sources of one view share a colour");
    // The prefix toggle: no prefix, nothing to click.
    const QModelIndex first = lineRows(view).first();
    view->setShowPrefix(false);
    QCOMPARE(delegate->prefixWidth(view->view()->font(), first), 0);
    view->setShowPrefix(true);
    // The timestamp toggle leaves the prefix alone.
    const QString raw = first.data(LogModel::RawTextRole).toString();
    QVERIFY(stampOf(raw).isValid());
    view->setShowTimestamps(false);
    QCOMPARE(first.data().toString(), raw.section(u' ', 1));
    QVERIFY(!first.data(LogModel::SourceRole).toString().isEmpty());
    view->setShowTimestamps(true);
    QCOMPARE(first.data().toString(), raw);
}

void TestUiLogTabs::clickingPrefixFilters() {
    LogTarget target;
    target.namespaceName = QStringLiteral("demo");
    target.selector = QStringLiteral("app=batch-worker");
    target.tailLines = 20;
    LogView *view = m_page->open(target);
    const QString pod = podNamed(QStringLiteral("batch-worker-"));
    const QString shipper = pod + QStringLiteral("/log-shipper");
    QTRY_COMPARE_WITH_TIMEOUT(sourcesOf(view).size(), 2, 30'000);
    view->setPaused(true); // rows stay where they are while we click
    QListView *list = view->view();
    auto clickPrefixOf = [view, list](const QString &source) {
        for (const QModelIndex &i : lineRows(view))
            if (i.data(LogModel::SourceRole).toString() == source) {
                list->scrollTo(i);
                const QRect rect = list->visualRect(i);
                const QPoint at(rect.left() + 10, rect.center().y());
                if (view->prefixAt(at) != source)
                    return false;
                QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
                return true;
            }
        return false;
    };
    QVERIFY(clickPrefixOf(shipper));
    QCOMPARE(view->sourceFilter(), shipper);
    QCOMPARE(sourcesOf(view), QSet<QString>{shipper});
    auto *showAll = view->findChild<QToolButton *>(QStringLiteral("showAllSources"));
    QVERIFY(showAll && showAll->isEnabled());
    // Clicking that prefix again shows every source.
    QVERIFY(clickPrefixOf(shipper));
    QVERIFY(view->sourceFilter().isEmpty());
    QCOMPARE(sourcesOf(view).size(), 2);
    QVERIFY(!showAll->isEnabled());
    // And so does "Show all".
    QVERIFY(clickPrefixOf(pod + QStringLiteral("/worker")));
    QCOMPARE(sourcesOf(view), QSet<QString>{pod + QStringLiteral("/worker")});
    QTest::mouseClick(showAll, Qt::LeftButton);
    QVERIFY(view->sourceFilter().isEmpty());
    QCOMPARE(sourcesOf(view).size(), 2);
    // A click on the text, not the prefix, filters nothing.
    const QModelIndex row = lineRows(view).first();
    const QRect rect = list->visualRect(row);
    auto *delegate = qobject_cast<LogDelegate *>(list->itemDelegate());
    const int textStart = rect.left() + 4 + delegate->prefixWidth(list->font(), row);
    QVERIFY(!view->prefixAt(QPoint(textStart - 12, rect.center().y())).isEmpty());
    QVERIFY(view->prefixAt(QPoint(textStart + 5, rect.center().y())).isEmpty());
    // The pointer shows the prefix can be clicked.
    QTest::mouseMove(list->viewport(), QPoint(textStart - 12, rect.center().y()));
    QTRY_COMPARE(list->viewport()->cursor().shape(), Qt::PointingHandCursor);
    QTest::mouseMove(list->viewport(), QPoint(textStart + 5, rect.center().y()));
    QTRY_COMPARE(list->viewport()->cursor().shape(), Qt::ArrowCursor);
    view->setPaused(false);
}

void TestUiLogTabs::jsonPrettyToggle() {
    // The importer writes JSON lines; its restarts and crash lines are plain.
    LogView *view =
        m_page->open(demoTarget(QStringLiteral("flaky-importer-"), QStringLiteral("importer")));
    QTRY_VERIFY_WITH_TIMEOUT(lineRows(view).size() >= 3, 20'000);
    view->setPaused(true);
    LogModel *model = view->model();
    // A plain line among them, appended as the stream would.
    model->appendLines({QStringLiteral("2026-12-06T05:00:00Z INFO importer: starting (run 1)")});
    QModelIndex json;
    for (const QModelIndex &i : lineRows(view))
        if (i.data(LogModel::RawTextRole).toString().contains(QStringLiteral("{\"level\"")))
            json = i;
    QVERIFY(json.isValid());
    const QModelIndex plain = lineRows(view).last();
    const QString plainText = plain.data().toString();
    const int rowHeight = view->view()->visualRect(json).height();
    QCOMPARE(json.data(LogModel::LineCountRole).toInt(), 1);

    QCheckBox *jsonBox = nullptr;
    for (QCheckBox *b : view->findChildren<QCheckBox *>())
        if (b->text() == QStringLiteral("JSON"))
            jsonBox = b;
    QVERIFY(jsonBox);
    jsonBox->click();
    QVERIFY(model->prettyJson());
    const QString pretty = json.data().toString();
    QVERIFY2(pretty.contains(QStringLiteral("{\n    \"batch\": ")), qPrintable(pretty));
    QVERIFY(stampOf(pretty).isValid()); // the timestamp stays in front
    QVERIFY(json.data(LogModel::LineCountRole).toInt() >= 6);
    QCOMPARE(plain.data().toString(), plainText); // plain lines unchanged
    QCOMPARE(plain.data(LogModel::LineCountRole).toInt(), 1);
    QTRY_VERIFY(view->view()->visualRect(json).height() >= rowHeight * 5);
    // Lines that come while it is on are indented as they come.
    model->appendLines({QStringLiteral(R"({"level":"error","msg":"late"})")});
    const QModelIndex late = model->index(model->rowCount() - 1);
    QVERIFY(late.data().toString().contains(QStringLiteral("\n    \"msg\": \"late\"")));
    QCOMPARE(LogLevel(late.data(LogModel::LevelRole).toInt()), LogLevel::Error);
    jsonBox->click();
    QVERIFY(!model->prettyJson());
    QCOMPARE(json.data().toString(), json.data(LogModel::RawTextRole).toString());
    QTRY_COMPARE(view->view()->visualRect(json).height(), rowHeight);
    view->setPaused(false);
}

void TestUiLogTabs::jumpToBottomCounts() {
    // Every demo workload merged (about five lines a second), in a low window: soon more lines
    // than fit, so there is somewhere to scroll to.
    LogTarget target;
    target.namespaceName = QStringLiteral("demo");
    target.selector = QStringLiteral("app");
    target.tailLines = 300;
    const QSize size = m_window->size();
    m_window->resize(size.width(), 480);
    LogView *view = m_page->open(target);
    QListView *list = view->view();
    QTRY_VERIFY_WITH_TIMEOUT(list->verticalScrollBar()->maximum() > 10, 30'000);
    JumpToBottom *jump = view->jumpButton();
    QTRY_VERIFY(list->verticalScrollBar()->value() == list->verticalScrollBar()->maximum());
    QVERIFY(jump->isHidden());
    // Scrolled up: following pauses, and the button counts the lines that come.
    list->verticalScrollBar()->setValue(0);
    QTRY_VERIFY_WITH_TIMEOUT(jump->isVisible() && jump->newLines() >= 2, 20'000);
    QCOMPARE(list->verticalScrollBar()->value(), 0); // not moved by new lines
    QCOMPARE(jump->text(), QStringLiteral("↓ %1 new lines").arg(jump->newLines()));
    QVERIFY(jump->text().startsWith(QStringLiteral("↓ ")));
    const QRect area = list->viewport()->geometry();
    QVERIFY(area.contains(jump->geometry())); // floats over the rows
    // Clicking it goes to the end and follows again.
    QTest::mouseClick(jump, Qt::LeftButton);
    QVERIFY(jump->isHidden());
    QCOMPARE(jump->newLines(), qint64(0));
    QCOMPARE(list->verticalScrollBar()->value(), list->verticalScrollBar()->maximum());
    const int rows = view->model()->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > rows + 1, 20'000);
    QTRY_COMPARE(list->verticalScrollBar()->value(), list->verticalScrollBar()->maximum());
    QVERIFY(jump->isHidden());
    m_window->resize(size);
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
