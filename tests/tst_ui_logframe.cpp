// The direct reader of /ws/pod-logs log frames (ui/logframeparser.h): JSON escapes, UTF-16
// surrogates, line cutting, and everything it does not recognise falling through to
// QJsonDocument with the same result the window had before.
#include "ui/logframeparser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pw::core;
using namespace pw::ui;

Q_DECLARE_METATYPE(LogFrameParser::Kind)

namespace {

// A frame as our server writes it (LogFrameWriter, core/logframe.h) around data already escaped.
QString serverFrame(const QString &escapedData, qint64 seq, int lines) {
    QByteArray out;
    LogFrameWriter::beginLog(out);
    out += escapedData.toUtf8();
    LogFrameWriter::endLog(out, seq, lines);
    return QString::fromUtf8(out);
}

} // namespace

class TestUiLogFrame : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void logFrames_data();
    void logFrames();
    void mergedSource_data();
    void mergedSource();
    void fallThrough_data();
    void fallThrough();
    void agreesWithQJsonDocument_data();
    void agreesWithQJsonDocument();
    void largeServerFrame();
};

void TestUiLogFrame::logFrames_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<qint64>("count");

    QTest::newRow("server layout")
        << serverFrame("a 1\\nb 2\\n", 7, 2) << QStringList{"a 1", "b 2"} << qint64(7) << qint64(2);
    QTest::newRow("one line") << serverFrame("only\\n", 0, 1) << QStringList{"only"} << qint64(0)
                              << qint64(1);
    QTest::newRow("last line without newline")
        << serverFrame("a\\nb", 3, 2) << QStringList{"a", "b"} << qint64(3) << qint64(2);
    QTest::newRow("empty lines kept") << serverFrame("a\\n\\n\\nb\\n", 0, 4)
                                      << QStringList{"a", "", "", "b"} << qint64(0) << qint64(4);
    QTest::newRow("one empty line")
        << serverFrame("\\n", 5, 1) << QStringList{""} << qint64(5) << qint64(1);
    QTest::newRow("empty data") << serverFrame("", 5, 0) << QStringList{} << qint64(5) << qint64(0);
    QTest::newRow("CRLF: one CR dropped") << serverFrame("a\\r\\nb\\r\\r\\nc\\r", 0, 3)
                                          << QStringList{"a", "b\r", "c"} << qint64(0) << qint64(3);
    QTest::newRow("CR inside a line kept")
        << serverFrame("a\\rb\\n", 0, 1) << QStringList{"a\rb"} << qint64(0) << qint64(1);
    QTest::newRow("quote and backslash")
        << serverFrame("say \\\"hi\\\" C:\\\\dir\\\\\\n", 0, 1)
        << QStringList{"say \"hi\" C:\\dir\\"} << qint64(0) << qint64(1);
    QTest::newRow("tab, slash, backspace, formfeed")
        << serverFrame("a\\tb\\/c\\bd\\fe\\n", 0, 1) << QStringList{"a\tb/c\bd\fe"} << qint64(0)
        << qint64(1);
    QTest::newRow("ANSI colour as \\u001b")
        << serverFrame("\\u001b[32mINFO\\u001b[0m ok\\n", 9, 1)
        << QStringList{"\x1b[32mINFO\x1b[0m ok"} << qint64(9) << qint64(1);
    QTest::newRow("\\u escapes, upper and lower hex")
        << serverFrame("\\u00e9\\u00C9\\u20ac\\n", 0, 1) << QStringList{QStringLiteral(u"éÉ€")}
        << qint64(0) << qint64(1);
    QTest::newRow("surrogate pair escaped")
        << serverFrame("smile \\ud83d\\ude00!\\n", 0, 1)
        << QStringList{QStringLiteral(u"smile \U0001F600!")} << qint64(0) << qint64(1);
    QTest::newRow("raw non-ASCII and astral characters")
        << serverFrame(QStringLiteral(u"Grüße 日本 \U0001F600\\n"), 0, 1)
        << QStringList{QStringLiteral(u"Grüße 日本 \U0001F600")} << qint64(0) << qint64(1);
    QTest::newRow("escape at the very start and end of lines")
        << serverFrame("\\\"a\\\"\\n\\tb\\t\\n", 0, 2) << QStringList{"\"a\"", "\tb\t"} << qint64(0)
        << qint64(2);
    QTest::newRow("escaped line then plain line")
        << serverFrame("x\\u0007y\\nplain\\n", 0, 2) << QStringList{"x\ay", "plain"} << qint64(0)
        << qint64(2);
    QTest::newRow("QJsonDocument member order")
        << QStringLiteral("{\"data\":\"a\\nb\\n\",\"lines\":2,\"seq\":40,\"type\":\"log\"}")
        << QStringList{"a", "b"} << qint64(40) << qint64(2);
    QTest::newRow("whitespace between tokens")
        << QStringLiteral(" { \"type\" : \"log\" ,\n\"data\" : \"a\\n\" , \"seq\" : 1 } ")
        << QStringList{"a"} << qint64(1) << qint64(-1);
    QTest::newRow("no seq, no lines") << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\n\"}")
                                      << QStringList{"a"} << qint64(-1) << qint64(-1);
    QTest::newRow("unknown members are skipped")
        << QStringLiteral("{\"type\":\"log\",\"pod\":\"w\\\"1\\u00e9\",\"n\":-3,\"data\":\"a\\n\","
                          "\"seq\":0}")
        << QStringList{"a"} << qint64(0) << qint64(-1);
    QTest::newRow("large seq") << serverFrame("a\\n", 123456789012345, 1) << QStringList{"a"}
                               << qint64(123456789012345) << qint64(1);
}

// Merged streams' frames name their pod and container; both readers give them.
void TestUiLogFrame::mergedSource_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("pod");
    QTest::addColumn<QString>("container");
    QTest::addColumn<bool>("direct");
    QTest::newRow("server order")
        << QStringLiteral(R"({"type":"log","pod":"w-1","container":"worker","data":"a\n","seq":3,"lines":1})")
        << QStringLiteral("w-1") << QStringLiteral("worker") << true;
    QTest::newRow("after data")
        << QStringLiteral(R"({"type":"log","data":"a\n","container":"c","pod":"p"})")
        << QStringLiteral("p") << QStringLiteral("c") << true;
    QTest::newRow("escaped name")
        << QStringLiteral(R"({"type":"log","pod":"w\u002d1","data":"a\n"})")
        << QStringLiteral("w-1") << QString() << true;
    QTest::newRow("single container: none")
        << QStringLiteral(R"({"type":"log","data":"a\n","seq":0})") << QString() << QString()
        << true;
    QTest::newRow("repeated pod: QJsonDocument decides")
        << QStringLiteral(R"({"type":"log","pod":"a","pod":"b","data":"x\n"})")
        << QStringLiteral("b") << QString() << false;
}

void TestUiLogFrame::mergedSource() {
    QFETCH(QString, message);
    QFETCH(QString, pod);
    QFETCH(QString, container);
    QFETCH(bool, direct);
    const LogFrameParser::Message m = LogFrameParser::parse(message);
    QCOMPARE(m.kind, LogFrameParser::Kind::Log);
    QCOMPARE(m.direct, direct);
    QCOMPARE(m.frame.pod, pod);
    QCOMPARE(m.frame.container, container);
}

void TestUiLogFrame::logFrames() {
    QFETCH(QString, message);
    QFETCH(QStringList, lines);
    QFETCH(qint64, seq);
    QFETCH(qint64, count);

    const LogFrameParser::Message m = LogFrameParser::parse(message);
    QCOMPARE(m.kind, LogFrameParser::Kind::Log);
    QVERIFY2(m.direct, "the direct reader should take this frame");
    QCOMPARE(m.frame.lines, lines);
    QCOMPARE(m.frame.seq, seq);
    QCOMPARE(m.frame.count, count);
}

// Messages the direct reader leaves alone, and what QJsonDocument makes of them.
void TestUiLogFrame::fallThrough_data() {
    QTest::addColumn<QString>("message");
    QTest::addColumn<LogFrameParser::Kind>("kind");
    QTest::addColumn<QString>("type");      // Kind::Other: the "type" member
    QTest::addColumn<QStringList>("lines"); // Kind::Log
    QTest::addColumn<qint64>("seq");        // Kind::Log

    using K = LogFrameParser::Kind;
    const QStringList none;
    QTest::newRow("gap") << QStringLiteral("{\"missed\":120,\"type\":\"gap\"}") << K::Other << "gap"
                         << none << qint64(-1);
    QTest::newRow("gap, type first") << QStringLiteral("{\"type\":\"gap\",\"missed\":120}")
                                     << K::Other << "gap" << none << qint64(-1);
    QTest::newRow("stream state")
        << QStringLiteral("{\"detail\":\"\",\"namespace\":\"default\",\"state\":\"streaming\","
                          "\"type\":\"stream\"}")
        << K::Other << "stream" << none << qint64(-1);
    QTest::newRow("error") << QStringLiteral("{\"error\":\"pod not found\",\"type\":\"error\"}")
                           << K::Other << "error" << none << qint64(-1);
    QTest::newRow("unknown type with data")
        << QStringLiteral("{\"type\":\"logx\",\"data\":\"a\\n\",\"seq\":1}") << K::Other << "logx"
        << none << qint64(-1);
    QTest::newRow("escaped type") << QStringLiteral("{\"type\":\"l\\u006fg\",\"data\":\"a\\n\"}")
                                  << K::Log << QString() << QStringList{"a"} << qint64(-1);
    QTest::newRow("seq as a fraction")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\nb\\n\",\"seq\":2.0,\"lines\":2}")
        << K::Log << QString() << QStringList{"a", "b"} << qint64(2);
    QTest::newRow("seq with exponent")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\n\",\"seq\":1e+06,\"lines\":1}")
        << K::Log << QString() << QStringList{"a"} << qint64(1000000);
    QTest::newRow("nested member")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\n\",\"seq\":3,\"x\":{\"y\":[1]}}")
        << K::Log << QString() << QStringList{"a"} << qint64(3);
    QTest::newRow("boolean member")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\n\",\"seq\":3,\"more\":true}") << K::Log
        << QString() << QStringList{"a"} << qint64(3);
    QTest::newRow("repeated member")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\n\",\"data\":\"b\\n\",\"seq\":3}")
        << K::Log << QString() << QStringList{"b"} << qint64(3);
    QTest::newRow("not an object")
        << QStringLiteral("[1,2]") << K::Invalid << QString() << none << qint64(-1);
    QTest::newRow("empty") << QString() << K::Invalid << QString() << none << qint64(-1);
    QTest::newRow("truncated frame") << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\nb")
                                     << K::Invalid << QString() << none << qint64(-1);
    QTest::newRow("truncated in an escape") << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\u00")
                                            << K::Invalid << QString() << none << qint64(-1);
    // QJsonDocument is more lenient than JSON: it takes these (an unknown escape stands for
    // its character, a lone surrogate is kept as it is), and so the window does.
    QTest::newRow("unknown escape")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\x41\\n\",\"seq\":0}") << K::Log
        << QString() << QStringList{"ax41"} << qint64(0);
    QTest::newRow("bad hex digit")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"\\u00g1\\n\",\"seq\":0}") << K::Invalid
        << QString() << none << qint64(-1);
    QTest::newRow("raw newline in a string")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\nb\",\"seq\":0}") << K::Log << QString()
        << QStringList{"a", "b"} << qint64(0);
    QTest::newRow("trailing garbage")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\n\",\"seq\":0} x") << K::Invalid
        << QString() << none << qint64(-1);
    QTest::newRow("missing comma")
        << QStringLiteral("{\"type\":\"log\" \"data\":\"a\\n\",\"seq\":0}") << K::Invalid
        << QString() << none << qint64(-1);
    QTest::newRow("leading zero") << QStringLiteral(
                                         "{\"type\":\"log\",\"data\":\"a\\n\",\"seq\":01}")
                                  << K::Invalid << QString() << none << qint64(-1);
    QTest::newRow("bad escape in a skipped member")
        << QStringLiteral("{\"type\":\"log\",\"x\":\"\\q\",\"data\":\"a\\n\",\"seq\":0}") << K::Log
        << QString() << QStringList{"a"} << qint64(0);
    QTest::newRow("lone high surrogate")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\ud800b\\n\",\"seq\":0}") << K::Log
        << QString() << QStringList{"a" + QString(QChar(0xd800)) + "b"} << qint64(0);
    QTest::newRow("lone low surrogate")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\udc00b\\n\",\"seq\":0}") << K::Log
        << QString() << QStringList{"a" + QString(QChar(0xdc00)) + "b"} << qint64(0);
    QTest::newRow("high surrogate at the end")
        << QStringLiteral("{\"type\":\"log\",\"data\":\"a\\ud800\",\"seq\":0}") << K::Log
        << QString() << QStringList{"a" + QString(QChar(0xd800))} << qint64(0);
}

void TestUiLogFrame::fallThrough() {
    QFETCH(QString, message);
    QFETCH(LogFrameParser::Kind, kind);
    QFETCH(QString, type);
    QFETCH(QStringList, lines);
    QFETCH(qint64, seq);

    LogFrame frame;
    QVERIFY2(!LogFrameParser::parseLogFrame(message, &frame),
             "the direct reader must leave this message to QJsonDocument");
    const LogFrameParser::Message m = LogFrameParser::parse(message);
    QVERIFY(!m.direct);
    QCOMPARE(m.kind, kind);
    if (kind == LogFrameParser::Kind::Other)
        QCOMPARE(m.object.value(QStringLiteral("type")).toString(), type);
    if (kind == LogFrameParser::Kind::Log) {
        QCOMPARE(m.frame.lines, lines);
        QCOMPARE(m.frame.seq, seq);
    }
}

// Whatever the reader takes, it reads exactly as QJsonDocument does: the same text for
// "data" (joined back), the same seq. Surrogates that do not pair are left to QJsonDocument.
void TestUiLogFrame::agreesWithQJsonDocument_data() {
    QTest::addColumn<QString>("data");
    QTest::addColumn<bool>("direct");

    QTest::newRow("plain") << QStringLiteral("2026-11-27T10:00:00.000000001Z line 1\nline 2\n")
                           << true;
    QTest::newRow("every control character") << [] {
        QString s;
        for (char16_t c = 1; c < 0x20; ++c)
            if (c != u'\n' && c != u'\r')
                s += QChar(c);
        return s + QStringLiteral("\n");
    }() << true;
    QTest::newRow("quotes, backslashes, slashes") << QStringLiteral("\"\\/\\\"x\"\n") << true;
    QTest::newRow("unicode") << QStringLiteral(u"ünïcødé ✓ \U0001F680 \U00010348\n") << true;
    QTest::newRow("U+FFFD and U+FEFF") << QStringLiteral(u"\uFFFD\uFEFF\n") << true;
}

void TestUiLogFrame::agreesWithQJsonDocument() {
    QFETCH(QString, data);
    QFETCH(bool, direct);
    // As the test servers build frames (QJsonDocument escapes), and as our server does
    // (only control characters, quote and backslash escaped; the rest raw).
    const QString viaQt = QString::fromUtf8(
        QJsonDocument(QJsonObject{{"type", "log"}, {"data", data}, {"seq", 12}, {"lines", 2}})
            .toJson(QJsonDocument::Compact));
    QString escaped;
    for (QChar c : data) {
        if (c == u'"' || c == u'\\')
            escaped += u'\\' + QString(c);
        else if (c == u'\n')
            escaped += QStringLiteral("\\n");
        else if (c.unicode() < 0x20)
            escaped += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QChar(u'0'));
        else
            escaped += c;
    }
    for (const QString &message : {viaQt, serverFrame(escaped, 12, 2)}) {
        const LogFrameParser::Message m = LogFrameParser::parse(message);
        QCOMPARE(m.direct, direct);
        QCOMPARE(m.kind, LogFrameParser::Kind::Log);
        QCOMPARE(m.frame.seq, qint64(12));
        const QJsonObject o = QJsonDocument::fromJson(message.toUtf8()).object();
        QCOMPARE(m.frame.lines, LogFrameParser::splitLines(o.value("data").toString()));
    }
}

// A 64 KB frame of the kind the benchmark streams: every line arrives, in order.
void TestUiLogFrame::largeServerFrame() {
    QString escaped;
    QStringList expected;
    for (int i = 0; escaped.size() < 64 * 1024; ++i) {
        const QString line = QStringLiteral("2026-11-27T10:00:00.%1Z 2026/11/27 10:00:00 chatty "
                                            "seq=%2 crane: copying layer chunk, status=ok")
                                 .arg(i, 9, 10, QChar(u'0'))
                                 .arg(i);
        expected << line + (i % 50 == 0 ? QStringLiteral("\x1b[0m") : QString());
        escaped +=
            line + (i % 50 == 0 ? QStringLiteral("\\u001b[0m") : QString()) + QStringLiteral("\\n");
    }
    const LogFrameParser::Message m =
        LogFrameParser::parse(serverFrame(escaped, 1000, int(expected.size())));
    QVERIFY(m.direct);
    QCOMPARE(m.frame.lines.size(), expected.size());
    QCOMPARE(m.frame.lines, expected);
    QCOMPARE(m.frame.count, qint64(expected.size()));
}

QTEST_MAIN(TestUiLogFrame)
#include "tst_ui_logframe.moc"
