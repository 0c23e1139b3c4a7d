// How the Logs tab shows and names a line, without a backend: the level read from a line,
// each source's colour, the marker lines a source's state becomes, and the file name a tab is
// saved under.
#include "ui/logcolours.h"
#include "ui/logfilename.h"
#include "ui/logmarkers.h"
#include "ui/loglevel.h"
#include "ui/logmodel.h"
#include "ui/logstream.h"

#include <QColor>
#include <QSet>
#include <QTest>

using namespace pw::ui;

Q_DECLARE_METATYPE(LogLevel)

class TestUiLogTabsFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void levels_data();
    void levels();
    void sourceColoursStable();
    void sourceMarkers_data();
    void sourceMarkers();
    void fileNames_data();
    void fileNames();
};

void TestUiLogTabsFormat::levels_data() {
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

void TestUiLogTabsFormat::levels() {
    QFETCH(QString, line);
    QFETCH(LogLevel, level);
    QCOMPARE(LogLevels::classify(line), level);
    // The model stores it when the line comes (after the timestamp).
    LogModel model;
    model.appendLines({QStringLiteral("2026-12-06T05:00:00.123Z ") + line});
    QCOMPARE(LogLevel(model.index(0).data(LogModel::LevelRole).toInt()), level);
    QCOMPARE(model.levelAt(0), level);
}

void TestUiLogTabsFormat::sourceColoursStable() {
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

void TestUiLogTabsFormat::sourceMarkers_data() {
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

void TestUiLogTabsFormat::sourceMarkers() {
    QFETCH(QString, state);
    QFETCH(QString, detail);
    QFETCH(int, kind);
    QFETCH(QString, text);
    const LogMarkers::Marker m = LogMarkers::forSource(QStringLiteral("p/c"), state, detail);
    QCOMPARE(m.text, text);
    if (!text.isEmpty())
        QCOMPARE(int(m.kind), kind);
}

void TestUiLogTabsFormat::fileNames_data() {
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

void TestUiLogTabsFormat::fileNames() {
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

QTEST_MAIN(TestUiLogTabsFormat)
#include "tst_ui_logtabs_format.moc"
