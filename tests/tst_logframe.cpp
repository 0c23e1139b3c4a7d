#include "core/logframe.h"
#include "core/resumecursor.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

using namespace pw::core;

// The /ws/pod-logs message format (core/logframe.h): what LogFrameWriter writes,
// LogFrameReader reads back line for line, through its direct path and through QJsonDocument
// alike; and ResumeCursor, which decides which lines of a frame are new.
class TestLogFrame : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void readerEdgeCases_data();
    void readerEdgeCases();
    void otherMessages_data();
    void otherMessages();
    void cursor_data();
    void cursor();
    void cursorQuery();
    void sources_data();
    void sources();
    void readThroughput();
};

Q_DECLARE_METATYPE(LogFrameReader::Kind)

namespace {

struct Written {
    QString frame;
    QStringList expected; // the lines a reader must give back
};

// `lines` as "<timestamp>|<text>" (no "|": no timestamp), written as the server writes them.
Written write(const QList<QByteArray> &lines, qint64 seq, const QString &pod = {},
              const QString &container = {}) {
    QByteArray out;
    LogFrameWriter::beginLog(out);
    Written w;
    for (const QByteArray &l : lines) {
        const qsizetype bar = l.indexOf('|');
        const QByteArray ts = bar < 0 ? QByteArray() : l.left(bar);
        const QByteArray text = bar < 0 ? l : l.mid(bar + 1);
        LogFrameWriter::appendLine(out, ts, text);
        // The reader gives a line back without its "\n" and one trailing "\r"; invalid UTF-8
        // arrives as U+FFFD (the frame is a QString).
        QString line = QString::fromUtf8(ts.isEmpty() ? text : ts + ' ' + text);
        if (line.endsWith(u'\r'))
            line.chop(1);
        w.expected << line;
    }
    LogFrameWriter::endLog(out, seq, int(lines.size()));
    w.frame = QString::fromUtf8(out);
    if (!pod.isEmpty())
        w.frame = LogFrameWriter::withSource(w.frame, LogFrameWriter::sourceSuffix(pod, container));
    return w;
}

} // namespace

void TestLogFrame::roundTrip_data() {
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QString>("pod");
    QTest::addColumn<QString>("container");
    QTest::newRow("plain") << QList<QByteArray>{"hello", "world"} << "" << "";
    QTest::newRow("timestamps") << QList<QByteArray>{"2026-11-27T10:00:00.123Z|started",
                                                     "2026-11-27T10:00:01Z|done"}
                                << "" << "";
    QTest::newRow("quotes and backslashes")
        << QList<QByteArray>{"say \"hi\"", "C:\\path\\to", "\\n is not a newline"} << "" << "";
    QTest::newRow("control characters")
        << QList<QByteArray>{"tab\there", "bell\x07", "\x1b[31mred\x1b[0m", QByteArray("nul\0x", 5)}
        << "" << "";
    QTest::newRow("carriage returns") << QList<QByteArray>{"crlf\r", "mid\rdle"} << "" << "";
    QTest::newRow("empty lines") << QList<QByteArray>{"", "", "x"} << "" << "";
    QTest::newRow("multibyte UTF-8") << QList<QByteArray>{"h\xc3\xa9llo \xe2\x82\xac"} << "" << "";
    QTest::newRow("surrogate pair (UTF-8 emoji)")
        << QList<QByteArray>{"smile \xf0\x9f\x98\x80 end"} << "" << "";
    QTest::newRow("invalid UTF-8") << QList<QByteArray>{"bad \xff\xfe bytes", "cut \xe2\x82"}
                                   << "" << "";
    QTest::newRow("merged source") << QList<QByteArray>{"a", "b"} << "web-1" << "nginx";
    QTest::newRow("merged, escaped names") << QList<QByteArray>{"a"} << "p\"q" << "c\\d";
}

void TestLogFrame::roundTrip() {
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QString, pod);
    QFETCH(QString, container);
    const Written w = write(lines, 42, pod, container);

    const LogFrameReader::Message direct = LogFrameReader::parse(w.frame);
    QCOMPARE(direct.kind, LogFrameReader::Kind::Log);
    QVERIFY2(direct.direct, qPrintable(w.frame));
    QCOMPARE(direct.frame.lines, w.expected);
    QCOMPARE(direct.frame.seq, qint64(42));
    QCOMPARE(direct.frame.count, qint64(lines.size()));
    QCOMPARE(direct.frame.pod, pod);
    QCOMPARE(direct.frame.container, container);

    // The same message read by QJsonDocument agrees: the writer writes valid JSON.
    QJsonParseError error{};
    const QJsonObject o = QJsonDocument::fromJson(w.frame.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value("type").toString(), QStringLiteral("log"));
    QCOMPARE(LogFrameReader::splitLines(o.value("data").toString()), w.expected);
    QCOMPARE(o.value("pod").toString(), pod);
    QCOMPARE(o.value("container").toString(), container);
}

void TestLogFrame::readerEdgeCases_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<LogFrameReader::Kind>("kind");
    QTest::addColumn<bool>("direct");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<qint64>("count");
    using K = LogFrameReader::Kind;
    QTest::newRow("escaped surrogate pair")
        << R"({"type":"log","data":"\ud83d\ude00\n","seq":1,"lines":1})" << K::Log << true
        << QStringList{QString::fromUtf8("\xf0\x9f\x98\x80")} << qint64(1) << qint64(1);
    // What the direct reader does not take, QJsonDocument (Qt 6.4) decides, leniently.
    QTest::newRow("lone high surrogate goes to QJsonDocument")
        << R"({"type":"log","data":"\ud83dx\n","seq":1})" << K::Log << false
        << QStringList{QString(QChar(0xd83d)) + "x"} << qint64(1) << qint64(-1);
    QTest::newRow("all escapes")
        << R"({"type":"log","data":"\"\\\/\b\f\t\u0041\n"})" << K::Log << true
        << QStringList{"\"\\/\b\f\tA"} << qint64(-1) << qint64(-1);
    // 25 digits: taken by QJsonDocument (as a double); the direct reader must not overflow
    // counting them (UBSan in the fuzz build).
    QTest::newRow("integer too long for the direct reader")
        << R"({"type":"log","n":9999999999999999999999992,"data":"a\n","seq":1})" << K::Log
        << false << QStringList{"a"} << qint64(1) << qint64(-1);
        QTest::newRow("missing seq and lines") << R"({"type":"log","data":"a\n"})" << K::Log << true
                                           << QStringList{"a"} << qint64(-1) << qint64(-1);
    QTest::newRow("missing data") << R"({"type":"log","seq":3})" << K::Log << false
                                  << QStringList{} << qint64(3) << qint64(-1);
    QTest::newRow("missing type") << R"({"data":"a\n","seq":3})" << K::Other << false
                                  << QStringList{} << qint64(-1) << qint64(-1);
    QTest::newRow("another type") << R"({"type":"gap","missed":4})" << K::Other << false
                                  << QStringList{} << qint64(-1) << qint64(-1);
    QTest::newRow("unterminated") << R"({"type":"log","data":"a\n")" << K::Invalid << false
                                  << QStringList{} << qint64(-1) << qint64(-1);
    QTest::newRow("raw control character goes to QJsonDocument")
        << "{\"type\":\"log\",\"data\":\"a\x01\"}" << K::Log << false
        << QStringList{"a\x01"} << qint64(-1) << qint64(-1);
    QTest::newRow("unknown escape goes to QJsonDocument")
        << R"({"type":"log","data":"\q"})" << K::Log << false << QStringList{"q"} << qint64(-1)
        << qint64(-1);
    QTest::newRow("trailing garbage") << R"({"type":"log","data":"a"} x)" << K::Invalid << false
                                      << QStringList{} << qint64(-1) << qint64(-1);
    QTest::newRow("not an object") << R"(["log"])" << K::Invalid << false << QStringList{}
                                   << qint64(-1) << qint64(-1);
    QTest::newRow("empty") << "" << K::Invalid << false << QStringList{} << qint64(-1)
                           << qint64(-1);
}

void TestLogFrame::readerEdgeCases() {
    QFETCH(QString, message);
    QFETCH(LogFrameReader::Kind, kind);
    QFETCH(bool, direct);
    QFETCH(QStringList, lines);
    QFETCH(qint64, seq);
    QFETCH(qint64, count);
    const LogFrameReader::Message m = LogFrameReader::parse(message);
    QCOMPARE(m.kind, kind);
    QCOMPARE(m.direct, direct);
    if (kind != LogFrameReader::Kind::Log)
        return;
    QCOMPARE(m.frame.lines, lines);
    QCOMPARE(m.frame.seq, seq);
    QCOMPARE(m.frame.count, count);
}

void TestLogFrame::otherMessages_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected"); // the exact bytes a client receives
    QTest::newRow("gap") << LogFrameWriter::gap(7) << R"({"missed":7,"type":"gap"})";
    QTest::newRow("gap of a source") << LogFrameWriter::gap(7, "web-1", "nginx")
                                     << R"({"container":"nginx","missed":7,"pod":"web-1","type":"gap"})";
    QTest::newRow("restarted")
        << LogFrameWriter::restarted(0, "resume=9 is not in this stream")
        << R"({"detail":"resume=9 is not in this stream","missed":0,"restarted":true,"seq":0,"type":"gap"})";
    QTest::newRow("stream")
        << LogFrameWriter::stream("waiting", "container \"c\" waits",
                                  {"ns", "p", {}, {}})
        << R"({"detail":"container \"c\" waits","namespace":"ns","pod":"p","state":"waiting","type":"stream"})";
}

void TestLogFrame::otherMessages() {
    QFETCH(QString, message);
    QFETCH(QString, expected);
    QCOMPARE(message, expected);
    const LogFrameReader::Message m = LogFrameReader::parse(message);
    QCOMPARE(m.kind, LogFrameReader::Kind::Other);
    QCOMPARE(m.object, QJsonDocument::fromJson(expected.toUtf8()).object());
}

void TestLogFrame::cursor_data() {
    // Events, one per entry: "f SEQ line|line…" a frame, "s ID" a stream message,
    // "r SEQ" a restart; `out` is what the frames handed out ("first: lines"), in order.
    QTest::addColumn<QStringList>("events");
    QTest::addColumn<QStringList>("out");
    QTest::addColumn<qint64>("next");
    QTest::newRow("fresh stream") << QStringList{"f 0 a|b", "f 2 c"}
                                  << QStringList{"0: a,b", "2: c"} << qint64(3);
    QTest::newRow("overlap after a resume is skipped")
        << QStringList{"f 0 a|b|c", "f 1 b|c|d"} << QStringList{"0: a,b,c", "3: d"} << qint64(4);
    QTest::newRow("a frame wholly seen") << QStringList{"f 0 a|b", "f 0 a|b"}
                                         << QStringList{"0: a,b"} << qint64(2);
    QTest::newRow("another stream numbers from its start")
        << QStringList{"s one", "f 0 a|b", "s two", "f 0 x"} << QStringList{"0: a,b", "0: x"}
        << qint64(1);
    QTest::newRow("restart drops replays by timestamp")
        << QStringList{"f 5 2026-01-01T00:00:01Z a|2026-01-01T00:00:02.5Z b", "r 0",
                       "f 0 2026-01-01T00:00:01Z a|2026-01-01T00:00:02.500Z b|2026-01-01T00:00:03Z c"}
        << QStringList{"5: 2026-01-01T00:00:01Z a,2026-01-01T00:00:02.5Z b",
                       "2: 2026-01-01T00:00:03Z c"}
        << qint64(3);
    QTest::newRow("restart keeps a new line of the same second")
        << QStringList{"f 0 2026-01-01T00:00:01Z a", "r 0",
                       "f 0 2026-01-01T00:00:01Z a|2026-01-01T00:00:01Z z"}
        << QStringList{"0: 2026-01-01T00:00:01Z a", "1: 2026-01-01T00:00:01Z z"} << qint64(2);
}

void TestLogFrame::cursor() {
    QFETCH(QStringList, events);
    QFETCH(QStringList, out);
    QFETCH(qint64, next);
    ResumeCursor cursor(true);
    QStringList got;
    for (const QString &e : std::as_const(events)) {
        const QString arg = e.mid(2);
        if (e.startsWith(u's')) {
            cursor.onStreamId(arg);
        } else if (e.startsWith(u'r')) {
            cursor.onRestarted(arg.toLongLong());
        } else {
            LogFrame frame;
            frame.seq = arg.section(u' ', 0, 0).toLongLong();
            frame.lines = arg.section(u' ', 1).split(u'|');
            frame.count = frame.lines.size();
            const qint64 first = cursor.take(&frame);
            if (!frame.lines.isEmpty())
                got << QStringLiteral("%1: %2").arg(first).arg(frame.lines.join(u','));
        }
    }
    QCOMPARE(got, out);
    QCOMPARE(cursor.nextSeq(), next);
}

void TestLogFrame::cursorQuery() {
    ResumeCursor cursor;
    QVERIFY(cursor.queryItems().isEmpty()); // nothing to resume before the first line
    LogFrame frame;
    frame.seq = 0;
    frame.lines = QStringList{"a", "b"};
    cursor.take(&frame);
    using Items = QList<QPair<QString, QString>>;
    QCOMPARE(cursor.queryItems(), (Items{{"resume", "2"}}));
    QVERIFY(cursor.onStreamId("abc123"));
    QVERIFY(!cursor.onStreamId("abc123"));
    QVERIFY(cursor.queryItems().isEmpty()); // a new stream: wait for its first frame
    frame.seq = 7;
    frame.lines = QStringList{"c"};
    frame.count = 1;
    cursor.take(&frame);
    QCOMPARE(cursor.queryItems(), (Items{{"resume", "8"}, {"stream", "abc123"}}));
}

void TestLogFrame::sources_data() {
    QTest::addColumn<QString>("entry");
    QTest::addColumn<bool>("ok");
    QTest::newRow("one") << "web-1/nginx:00c0ffee:10" << true;
    QTest::newRow("seq 0") << "p/c:s:0" << true;
    QTest::newRow("no stream") << "p/c:10" << false;
    QTest::newRow("no container") << "p:s:1" << false;
    QTest::newRow("negative seq") << "p/c:s:-1" << false;
    QTest::newRow("seq too long") << "p/c:s:12345678901234567890" << false;
    QTest::newRow("seq not a number") << "p/c:s:1x" << false;
    QTest::newRow("too many parts") << "p/c:s:1:2" << false;
}

void TestLogFrame::sources() {
    QFETCH(QString, entry);
    QFETCH(bool, ok);
    ResumeCursor::Source s;
    QCOMPARE(ResumeCursor::parseSource(entry, &s), ok);
    if (!ok)
        return;
    QCOMPARE(ResumeCursor::formatSources({s}), entry);
    const QString two = ResumeCursor::formatSources({s, {"b", "c", "d", 5}});
    QCOMPARE(two, entry + ",b/c:d:5");
}

// Lines per second the direct reader takes from 64 KB frames of the kind the benchmark
// streams (reported, not asserted: timings on a shared machine are not a test).
void TestLogFrame::readThroughput() {
    QList<QByteArray> lines;
    QByteArray size;
    for (int i = 0; size.size() < 60 * 1024; ++i) {
        QByteArray line = "2026-11-27T10:00:00." + QByteArray::number(i).rightJustified(9, '0')
            + "Z|2026/11/27 10:00:00 chatty seq=" + QByteArray::number(i)
            + " crane: copying layer chunk, status=ok" + (i % 50 == 0 ? "\x1b[0m" : "");
        size += line;
        lines << line;
    }
    const Written w = write(lines, 1000);
    qint64 total = 0;
    QElapsedTimer clock;
    clock.start();
    for (int k = 0; k < 200; ++k) {
        LogFrame frame;
        QVERIFY(LogFrameReader::parseLogFrame(w.frame, &frame));
        QCOMPARE(frame.lines.size(), w.expected.size());
        total += frame.lines.size();
    }
    qInfo("%.2f M lines/s (%lld lines in %lld ms)", total * 1e-3 / qMax<qint64>(1, clock.elapsed()),
          total, clock.elapsed());
}

QTEST_GUILESS_MAIN(TestLogFrame)
#include "tst_logframe.moc"
