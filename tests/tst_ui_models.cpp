// The window's models, each under QAbstractItemModelTester, and the small parsers behind
// them (ANSI colours, /metrics, /pods, rate buckets).
#include "ui/activepullsmodel.h"
#include "ui/ansitext.h"
#include "ui/failedpullsmodel.h"
#include "ui/logfilterproxy.h"
#include "ui/logmodel.h"
#include "ui/metricssnapshot.h"
#include "ui/namelistmodel.h"
#include "ui/podinfo.h"
#include "ui/ratehistory.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace pw::core;
using namespace pw::ui;

namespace {

PullJob pull(const QString &id, PullStatus status = PullStatus::Pulling, int progress = 30) {
    PullJob p;
    p.id = id;
    p.imageName = QStringLiteral("nginx");
    p.tag = id;
    p.status = status;
    p.stage = status == PullStatus::Completed ? PullStage::Completed
              : status == PullStatus::Failed  ? PullStage::Failed
                                              : PullStage::PullingSource;
    p.progress = progress;
    p.node = QStringLiteral("node-1");
    p.createdAt = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);
    return p;
}

QStringList numbered(int from, int count) {
    QStringList lines;
    for (int i = 0; i < count; ++i)
        lines << QStringLiteral("line %1").arg(from + i);
    return lines;
}

} // namespace

class TestUiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void logRingBufferWrap();
    void logRingBufferBatchLargerThanCapacity();
    void logCapacityChangeAndClear();
    void logTimestampsAndAnsi();
    void logFilterProxy();
    void ansiParse_data();
    void ansiParse();
    void activePullsLifecycle();
    void activePullsVanishAndMerge();
    void failedPullsMerge();
    void nameListModel();
    void metricsSnapshot();
    void podInfoShapes();
    void rateHistory();
};

void TestUiModels::logRingBufferWrap() {
    LogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(10);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendLines(numbered(0, 7), 0);
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(inserted.count(), 1);
    // 7 + 6 = 13 > 10: the three oldest go first, as one remove at the front.
    model.appendLines(numbered(7, 6), 7);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 2);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 4);
    QCOMPARE(inserted.at(1).at(2).toInt(), 9);
    for (int row = 0; row < 10; ++row) {
        QCOMPARE(model.data(model.index(row)).toString(), QStringLiteral("line %1").arg(row + 3));
        QCOMPARE(model.seqAt(row), qint64(row + 3));
    }
    // Many wraps: the ring's head goes round several times, order stays.
    for (int i = 0; i < 25; ++i)
        model.appendLines(numbered(13 + i * 3, 3), 13 + i * 3);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.data(model.index(0)).toString(), QStringLiteral("line 78"));
    QCOMPARE(model.data(model.index(9)).toString(), QStringLiteral("line 87"));
    QCOMPARE(model.totalAppended(), qint64(88));
    QCOMPARE(model.droppedByRing(), qint64(78));
}

void TestUiModels::logRingBufferBatchLargerThanCapacity() {
    LogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(5);
    model.appendLines(numbered(0, 3), 0);
    model.appendLines(numbered(3, 12), 3);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.data(model.index(0)).toString(), QStringLiteral("line 10"));
    QCOMPARE(model.seqAt(4), qint64(14));
    model.appendMarker(LogModel::Kind::Gap, QStringLiteral("gap"));
    QCOMPARE(model.kindAt(4), LogModel::Kind::Gap);
    QCOMPARE(model.seqAt(4), qint64(-1));
    QCOMPARE(model.data(model.index(0)).toString(), QStringLiteral("line 11"));
}

void TestUiModels::logCapacityChangeAndClear() {
    LogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.capacity(), 100'000);
    model.appendLines(numbered(0, 50), 0);
    model.setCapacity(20);
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(model.data(model.index(0)).toString(), QStringLiteral("line 30"));
    model.appendLines(numbered(50, 5), 50);
    QCOMPARE(model.data(model.index(19)).toString(), QStringLiteral("line 54"));
    model.setCapacity(100);
    model.appendLines(numbered(55, 10), 55);
    QCOMPARE(model.rowCount(), 30);
    QCOMPARE(model.data(model.index(29)).toString(), QStringLiteral("line 64"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    model.appendLines(numbered(0, 2));
    QCOMPARE(model.rowCount(), 2);
}

void TestUiModels::logTimestampsAndAnsi() {
    LogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendLines(
        {QStringLiteral("2026-11-27T10:20:01.123456789Z hello \x1b[31mred\x1b[0m end"),
         QStringLiteral("no stamp here")},
        0);
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data().toString(),
             QStringLiteral("2026-11-27T10:20:01.123456789Z hello red end"));
    auto spans = first.data(LogModel::SpansRole).value<QList<AnsiSpan>>();
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans[0].start, 37);
    QCOMPARE(spans[0].length, 3);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setShowTimestamps(false);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(first.data().toString(), QStringLiteral("hello red end"));
    spans = first.data(LogModel::SpansRole).value<QList<AnsiSpan>>();
    QCOMPARE(spans[0].start, 6);
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("no stamp here"));
    QCOMPARE(first.data(LogModel::RawTextRole).toString(),
             QStringLiteral("2026-11-27T10:20:01.123456789Z hello red end"));
}

void TestUiModels::logFilterProxy() {
    LogModel model;
    model.setCapacity(8);
    LogFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendLines(
        {QStringLiteral("alpha 1"), QStringLiteral("beta 2"), QStringLiteral("alpha 3")}, 0);
    QVERIFY(proxy.setFilter(QStringLiteral("ALPHA"), LogFilterProxy::Mode::Plain).isEmpty());
    QCOMPARE(proxy.rowCount(), 2);
    model.appendMarker(LogModel::Kind::Gap, QStringLiteral("— 5 lines missed —"));
    QCOMPARE(proxy.rowCount(), 3); // markers stay visible
    QVERIFY(proxy.setFilter(QStringLiteral("^(beta|alpha) [23]$"), LogFilterProxy::Mode::Regex)
                .isEmpty());
    QCOMPARE(proxy.rowCount(), 3);
    QVERIFY(!proxy.setFilter(QStringLiteral("(unclosed"), LogFilterProxy::Mode::Regex).isEmpty());
    QCOMPARE(proxy.rowCount(), 3); // unchanged
    // The ring wraps under an active filter.
    model.appendLines(numbered(0, 8), 3);
    QVERIFY(proxy.setFilter(QStringLiteral("line"), LogFilterProxy::Mode::Plain).isEmpty());
    QCOMPARE(proxy.rowCount(), 8);
    QVERIFY(proxy.setFilter(QString(), LogFilterProxy::Mode::Plain).isEmpty());
    QCOMPARE(proxy.rowCount(), 8);
}

void TestUiModels::ansiParse_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("plain");
    QTest::addColumn<int>("spans");
    QTest::addColumn<QString>("firstColour");
    QTest::newRow("none") << "plain text"
                          << "plain text" << 0 << "";
    QTest::newRow("red") << "a \x1b[31mred\x1b[0m b"
                         << "a red b" << 1 << "#cd3131";
    QTest::newRow("bright") << "\x1b[92mok\x1b[39m"
                            << "ok" << 1 << "#23d18b";
    QTest::newRow("bold+colour") << "\x1b[1;34mINFO\x1b[m x"
                                 << "INFO x" << 1 << "#2472c8";
    QTest::newRow("256") << "\x1b[38;5;196mhot\x1b[0m"
                         << "hot" << 1 << "#ff0000";
    QTest::newRow("truecolour") << "\x1b[38;2;1;2;3mrgb"
                                << "rgb" << 1 << "#010203";
    QTest::newRow("cursor codes dropped") << "\x1b[2Kclear\x1b[1A"
                                          << "clear" << 0 << "";
    QTest::newRow("two runs") << "\x1b[31mr\x1b[32mg\x1b[0m"
                              << "rg" << 2 << "#cd3131";
    QTest::newRow("truncated escape") << "end\x1b["
                                      << "end" << 0 << "";
}

void TestUiModels::ansiParse() {
    QFETCH(QString, input);
    QFETCH(QString, plain);
    QFETCH(int, spans);
    QFETCH(QString, firstColour);
    const AnsiText t = AnsiText::parse(input);
    QCOMPARE(t.plain, plain);
    QCOMPARE(t.spans.size(), spans);
    if (spans > 0)
        QCOMPARE(t.spans[0].foreground.name(), firstColour);
}

void TestUiModels::activePullsLifecycle() {
    ActivePullsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLingerMs(1000);
    QSignalSpy finished(&model, &ActivePullsModel::pullFinished);
    const QDateTime t0 = QDateTime(QDate(2026, 11, 27), QTime(10, 5), Qt::UTC);
    model.setNow(t0);
    QVERIFY(
        model
            .applySnapshot(
                {pull(QStringLiteral("a")), pull(QStringLiteral("b"), PullStatus::Pending, 5)}, t0)
            .isEmpty());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(ActivePullsModel::ColumnCount));
    QCOMPARE(model.index(0, ActivePullsModel::Age).data().toString(), QStringLiteral("5m 0s"));
    QCOMPARE(model.index(1, ActivePullsModel::Progress).data(ActivePullsModel::RawRole).toInt(), 5);
    model.upsert(pull(QStringLiteral("a"), PullStatus::Pulling, 80), t0);
    QCOMPARE(model.index(0, ActivePullsModel::Progress).data().toInt(), 80);
    model.upsert(pull(QStringLiteral("a"), PullStatus::Completed, 100), t0);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(model.rowCount(), 2); // still shown, with its final status
    QCOMPARE(model.index(0, 0).data(ActivePullsModel::StatusRole).toInt(),
             int(PullStatus::Completed));
    model.upsert(pull(QStringLiteral("a"), PullStatus::Pulling, 60), t0); // late news: ignored
    QCOMPARE(model.index(0, ActivePullsModel::Progress).data().toInt(), 100);
    model.expire(t0.addMSecs(999));
    QCOMPARE(model.rowCount(), 2);
    model.expire(t0.addMSecs(1000));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(ActivePullsModel::JobIdRole).toString(), QStringLiteral("b"));
    model.upsert(pull(QStringLiteral("z"), PullStatus::Failed), t0); // never seen active
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(finished.count(), 1);
}

void TestUiModels::activePullsVanishAndMerge() {
    ActivePullsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLingerMs(500);
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    model.applySnapshot({pull(QStringLiteral("a")), pull(QStringLiteral("b"))}, t0);
    // A status message carries no node and no creation time: those are kept.
    PullJob status;
    status.id = QStringLiteral("a");
    status.status = PullStatus::Pulling;
    status.stage = PullStage::Pushing;
    status.progress = 80;
    status.message = QStringLiteral("Pushing to Harbor...");
    model.upsert(status, t0);
    QCOMPARE(model.pullAt(0).node, QStringLiteral("node-1"));
    QCOMPARE(model.pullAt(0).imageName, QStringLiteral("nginx"));
    QCOMPARE(model.index(0, ActivePullsModel::Message).data().toString(),
             QStringLiteral("Pushing to Harbor..."));
    const QStringList vanished = model.applySnapshot({pull(QStringLiteral("b"))}, t0);
    QCOMPARE(vanished, QStringList{QStringLiteral("a")});
    QVERIFY(model.applySnapshot({pull(QStringLiteral("b"))}, t0).isEmpty()); // asked once
    model.expire(t0.addMSecs(600));
    QCOMPARE(model.rowCount(), 1);
}

void TestUiModels::failedPullsMerge() {
    FailedPullsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto failed = [](const QString &id) {
        PullJob p = pull(id, PullStatus::Failed);
        p.reason = FailureReason::ImageNotFound;
        p.finishedAt = QDateTime(QDate(2026, 11, 27), QTime(9, 0), Qt::UTC);
        return p;
    };
    model.setPulls(
        {failed(QStringLiteral("c")), failed(QStringLiteral("b")), failed(QStringLiteral("a"))});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, FailedPullsModel::Reason).data().toString(),
             QStringLiteral("ImageNotFound"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    // Newest first: one new at the top, the oldest gone, one moved.
    model.setPulls(
        {failed(QStringLiteral("d")), failed(QStringLiteral("b")), failed(QStringLiteral("c"))});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(removed.count(), 1);
    QStringList ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids << model.index(r, 0).data(FailedPullsModel::JobIdRole).toString();
    QCOMPARE(ids, (QStringList{"d", "b", "c"}));
    model.setPulls({});
    QCOMPARE(model.rowCount(), 0);
}

void TestUiModels::nameListModel() {
    NameListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNames({QStringLiteral("default"), QStringLiteral("demo")});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("demo")), 1);
    model.setItems({{QStringLiteral("pull-source"), QStringLiteral("init")},
                    {QStringLiteral("push-to-harbor"), QString()}});
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("pull-source (init)"));
    QCOMPARE(model.index(0).data(NameListModel::NameRole).toString(),
             QStringLiteral("pull-source"));
    QCOMPARE(model.nameAt(5), QString());
}

void TestUiModels::metricsSnapshot() {
    const QByteArray text =
        "# HELP x\n"
        "pullwatch_http_connections 3\n"
        "pullwatch_pulls_active 2\n"
        "pullwatch_pulls_finished_total{outcome=\"completed\"} 7\n"
        "pullwatch_pulls_finished_total{outcome=\"failed\"} 2\n"
        "pullwatch_cache_requests_total{family=\"active\",backend=\"memory\",result=\"hit\"} 6\n"
        "pullwatch_cache_requests_total{family=\"active\",backend=\"memory\",result=\"stale_hit\"} "
        "1\n"
        "pullwatch_cache_requests_total{family=\"active\",backend=\"memory\",result=\"miss\"} 3\n"
        "pullwatch_cache_requests_total{family=\"active\",backend=\"memory\",result=\"error\"} 9\n"
        "pullwatch_cache_backend_up{backend=\"memory\"} 1\n"
        "pullwatch_cluster_state{state=\"connecting\"} 0\n"
        "pullwatch_cluster_state{state=\"connected\"} 1\n";
    MetricsSnapshot m = MetricsSnapshot::parse(text);
    QCOMPARE(m.clusterState, QStringLiteral("connected"));
    QCOMPARE(m.cacheBackend, QStringLiteral("memory"));
    QCOMPARE(m.hitRatio(), 0.7);
    QCOMPARE(m.pullsCompleted, 7.0);
    QCOMPARE(m.pullsFailed, 2.0);
    QCOMPARE(m.activePulls, 2);
    QCOMPARE(m.clients, 3);
    m = MetricsSnapshot::parse(text + "pullwatch_ws_connections{endpoint=\"logs\"} "
                                      "4\npullwatch_ws_connections{endpoint=\"pulls\"} 1\n");
    QCOMPARE(m.clients, 5);
    QCOMPARE(MetricsSnapshot::parse("garbage\n{\n").hitRatio(), -1.0);
}

void TestUiModels::podInfoShapes() {
    const QByteArray json = R"([
        {"name":"image-puller-x-abc","namespace":"default","phase":"Running","job":"image-puller-x",
         "init_containers":[{"name":"tools","state":"terminated"},{"name":"pull-source","state":{"terminated":{}}}],
         "containers":[{"name":"push-to-harbor","state":"running"}]},
        {"name":"web","containers":["nginx"]},
        {"metadata":{"name":"meta-pod"},"initContainers":["a"]}])";
    const QList<PodInfo> pods = PodInfo::listFromJson(QJsonDocument::fromJson(json).array());
    QCOMPARE(pods.size(), 3);
    QCOMPARE(pods[0].job, QStringLiteral("image-puller-x"));
    QCOMPARE(pods[0].containers.size(), 3);
    QVERIFY(pods[0].containers[1].init);
    QCOMPARE(pods[0].containers[1].state, QStringLiteral("terminated"));
    QVERIFY(!pods[0].containers[2].init);
    QCOMPARE(pods[1].containers[0].name, QStringLiteral("nginx"));
    QCOMPARE(pods[2].name, QStringLiteral("meta-pod"));
    QCOMPARE(
        PodInfo::namesFromJson(QJsonDocument::fromJson(R"(["default",{"name":"demo"}])").array()),
        (QStringList{"default", "demo"}));
}

void TestUiModels::rateHistory() {
    RateHistory h(60'000, 3'600'000);
    const qint64 t0 = 1'800'000'000'000;
    h.addCounter(t0, 10); // first value: baseline only
    h.addCounter(t0 + 1000, 12);
    h.addCounter(t0 + 61'000, 15);
    h.addCounter(t0 + 62'000, 3); // a restart of the server: no negative
    QCOMPARE(h.total(t0 + 62'000), 5.0);
    const QList<QPointF> points = h.points(t0 + 62'000);
    QCOMPARE(points.size(), 60);
    QCOMPARE(points.last().y() + points[points.size() - 2].y(), 5.0);
    QCOMPARE(h.total(t0 + 2 * 3'600'000), 0.0); // all aged out
    h.add(t0 + 2 * 3'600'000, 1);
    QCOMPARE(h.points(t0 + 2 * 3'600'000).last().y(), 1.0);
}

QTEST_GUILESS_MAIN(TestUiModels)
#include "tst_ui_models.moc"
