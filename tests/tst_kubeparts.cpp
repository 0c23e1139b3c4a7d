#include "core/backoff.h"
#include "kubetostring.h"
#include "kube/execplugin.h"
#include "kube/kubeerror.h"
#include "kube/kubequery.h"
#include "kube/kubetimestamp.h"
#include "kube/linesplitter.h"

#include <QTest>

using namespace pw::core;
using namespace pw::kube;

// The small parts of the Kubernetes client: line splitting, timestamps, query encoding,
// backoff, Status parsing, ExecCredential parsing.
class TestKubeParts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lineSplitter_data();
    void lineSplitter();
    void lineSplitterUtf8Boundary();
    void lineSplitterHugeLineBoundedMemory();
    void timestamps_data();
    void timestamps();
    void queryEncodesPlus();
    void backoffGrowsWithJitterAndCap();
    void statusWithUnexpectedFields_data();
    void statusWithUnexpectedFields();
    void execCredential_data();
    void execCredential();
};

void TestKubeParts::lineSplitter_data() {
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<int>("truncated"); // index of the truncated line, -1: none
    QTest::newRow("one chunk") << QByteArrayList{"a\nb\n"} << QByteArrayList{"a", "b"} << -1;
    QTest::newRow("split inside a line")
        << QByteArrayList{"ab", "c\nd", "e\n"} << QByteArrayList{"abc", "de"} << -1;
    QTest::newRow("crlf") << QByteArrayList{"a\r\n"} << QByteArrayList{"a"} << -1;
    QTest::newRow("empty lines") << QByteArrayList{"\n\n"} << QByteArrayList{"", ""} << -1;
    QTest::newRow("unfinished line held back")
        << QByteArrayList{"a\nbc"} << QByteArrayList{"a"} << -1;
    QTest::newRow("over the cap in one chunk")
        << QByteArrayList{"0123456789ABC\nok\n"} << QByteArrayList{"0123456789", "ok"} << 0;
    QTest::newRow("over the cap over chunks") << QByteArrayList{"01234", "56789AB", "CD", "E\nok\n"}
                                              << QByteArrayList{"0123456789", "ok"} << 0;
    QTest::newRow("exactly the cap")
        << QByteArrayList{"0123456789\n"} << QByteArrayList{"0123456789"} << -1;
}

void TestKubeParts::lineSplitter() {
    QFETCH(QByteArrayList, chunks);
    QFETCH(QByteArrayList, lines);
    QFETCH(int, truncated);
    LineSplitter splitter(10);
    QList<LineSplitter::Line> out;
    for (const QByteArray &c : chunks)
        splitter.feed(c, &out);
    QCOMPARE(out.size(), lines.size());
    for (int i = 0; i < out.size(); ++i) {
        QCOMPARE(out[i].data, lines[i]);
        QCOMPARE(out[i].truncated, i == truncated);
    }
}

void TestKubeParts::lineSplitterUtf8Boundary() {
    // "ééééé" is 10 bytes; a cap of 9 must not cut the last é in half.
    LineSplitter splitter(9);
    QList<LineSplitter::Line> out;
    splitter.feed(QByteArray("ééééé\n"), &out);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].data, QByteArray("éééé"));
    QVERIFY(out[0].truncated);
    QCOMPARE(LineSplitter::utf8Boundary("a€", 2), 1);
    QCOMPARE(LineSplitter::utf8Boundary("a€", 4), 4);
}

void TestKubeParts::lineSplitterHugeLineBoundedMemory() {
    LineSplitter splitter(1024 * 1024);
    QList<LineSplitter::Line> out;
    const QByteArray mb(1024 * 1024, 'x');
    for (int i = 0; i < 50; ++i) {
        splitter.feed(mb, &out);
        QVERIFY(splitter.pendingBytes() <= 1024 * 1024);
    }
    splitter.feed("\nnext\n", &out);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].data.size(), 1024 * 1024);
    QVERIFY(out[0].truncated);
    QCOMPARE(out[1].data, QByteArray("next"));
}

void TestKubeParts::timestamps_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("order"); // -1 a<b, 0 equal, 1 a>b
    QTest::newRow("nanoseconds differ") << QByteArray("2026-11-27T10:00:00.000000001Z")
                                        << QByteArray("2026-11-27T10:00:00.000000002Z") << -1;
    QTest::newRow("below a millisecond") << QByteArray("2026-11-27T10:00:00.123456789Z")
                                         << QByteArray("2026-11-27T10:00:00.1234567Z") << 1;
    QTest::newRow("trailing zeros equal") << QByteArray("2026-11-27T10:00:00.5Z")
                                          << QByteArray("2026-11-27T10:00:00.500000000Z") << 0;
    QTest::newRow("offset equal to Z")
        << QByteArray("2026-11-27T11:00:00.25+01:00") << QByteArray("2026-11-27T10:00:00.25Z") << 0;
    // The whole-second part is remembered from the last line: the same second with another
    // offset must not reuse it.
    QTest::newRow("same second, other offset")
        << QByteArray("2026-11-27T10:00:00.5Z") << QByteArray("2026-11-27T10:00:00.5+01:00") << 1;
    QTest::newRow("no fraction") << QByteArray("2026-11-27T10:00:01Z")
                                 << QByteArray("2026-11-27T10:00:00.999999999Z") << 1;
}

void TestKubeParts::timestamps() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, order);
    const KubeTimestamp ta = KubeTimestamp::parse(a), tb = KubeTimestamp::parse(b);
    QVERIFY(ta.valid && tb.valid);
    QCOMPARE(ta < tb, order < 0);
    QCOMPARE(ta == tb, order == 0);
    QCOMPARE(tb<ta, order> 0);
    QVERIFY(!KubeTimestamp::parse("line without a timestamp").valid);
    QVERIFY(!KubeTimestamp::parse("2026-11-27T10:00:00.Z").valid);
    QVERIFY(KubeTimestamp::parse("2026-11-27T10:00:00.1Z").valid);
    QVERIFY(!KubeTimestamp::parse("2026-11-27T10:00:00.1Q").valid); // same second, bad zone
    QCOMPARE(KubeTimestamp::parse("2026-11-27T11:00:07.9+01:00").secondsString(),
             QString("2026-11-27T10:00:07Z"));
}

void TestKubeParts::queryEncodesPlus() {
    KubeQuery q;
    q.add("sinceTime", "2026-11-27T11:00:00+01:00")
        .add("labelSelector", "app=a,tier in (x y)")
        .addIf(false, "no", "x");
    QCOMPARE(q.encoded(), QByteArray("sinceTime=2026-11-27T11%3A00%3A00%2B01%3A00&labelSelector="
                                     "app%3Da%2Ctier%20in%20%28x%20y%29"));
}

void TestKubeParts::backoffGrowsWithJitterAndCap() {
    Backoff b(100, 1000);
    int previousMax = 0;
    for (int i = 0; i < 10; ++i) {
        const int full = std::min(100 << i, 1000);
        const int d = b.nextDelayMs();
        QVERIFY2(d >= full / 2 && d <= full, qPrintable(QString::number(d)));
        previousMax = std::max(previousMax, d);
    }
    QVERIFY(previousMax <= 1000);
    b.reset();
    QVERIFY(b.nextDelayMs() <= 100);
}

void TestKubeParts::statusWithUnexpectedFields_data() {
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("message");
    QTest::newRow("plain Status")
        << 404
        << QByteArray(
               R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"jobs.batch \"x\" not found","reason":"NotFound","code":404})")
        << 404 << "NotFound"
        << "jobs.batch \"x\" not found";
    QTest::newRow("unexpected fields")
        << 409
        << QByteArray(
               R"({"kind":"Status","extra":{"deep":[1,2,{"x":null}]},"message":"exists","reason":"AlreadyExists","code":"not a number","details":{"causes":[{"weird":true}]},"retryAfterSeconds":-5})")
        << 409 << "AlreadyExists"
        << "exists";
    QTest::newRow("code disagrees with HTTP")
        << 403 << QByteArray(R"({"kind":"Status","code":200,"reason":"Forbidden","message":"no"})")
        << 403 << "Forbidden"
        << "no";
    QTest::newRow("message is a number")
        << 500 << QByteArray(R"({"kind":"Status","message":42})") << 500 << ""
        << "the API server answered 500 without a message";
    QTest::newRow("not JSON") << 502 << QByteArray("<html>bad gateway</html>") << 502 << ""
                              << "<html>bad gateway</html>";
    QTest::newRow("JSON but not a Status") << 401 << QByteArray(R"(["x"])") << 401 << "Unauthorized"
                                           << "[\"x\"]";
    QTest::newRow("empty body") << 410 << QByteArray() << 410 << "Expired"
                                << "the API server answered 410";
}

void TestKubeParts::statusWithUnexpectedFields() {
    QFETCH(int, http);
    QFETCH(QByteArray, body);
    const KubeError e = KubeError::fromResponse(http, body);
    QCOMPARE(e.kind, KubeError::Kind::Api);
    QTEST(e.code, "code");
    QTEST(e.reason, "reason");
    QTEST(e.message, "message");
    // A huge body does not become a huge message.
    QVERIFY(KubeError::fromResponse(500, QByteArray(10'000'000, 'z')).message.size() < 1000);
}

void TestKubeParts::execCredential_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("apiVersion");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("error");
    const QString v1 = "client.authentication.k8s.io/v1";
    QTest::newRow("v1 token")
        << QByteArray(
               R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"abc","expirationTimestamp":"2030-01-01T00:00:00Z"}})")
        << v1 << "abc"
        << "";
    QTest::newRow("v1beta1 token")
        << QByteArray(
               R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"b"}})")
        << "client.authentication.k8s.io/v1beta1"
        << "b"
        << "";
    QTest::newRow("version mismatch")
        << QByteArray(
               R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"b"}})")
        << v1 << ""
        << "answered apiVersion";
    QTest::newRow("not JSON") << QByteArray("Enter password:") << v1 << ""
                              << "no ExecCredential JSON";
    QTest::newRow("no credential")
        << QByteArray(
               R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}})")
        << v1 << ""
        << "neither a token";
    QTest::newRow("bad expiry")
        << QByteArray(
               R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x","expirationTimestamp":"tomorrow"}})")
        << v1 << ""
        << "not RFC 3339";
    QTest::newRow("wrong kind")
        << QByteArray(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"Pod"})") << v1
        << ""
        << "not ExecCredential";
}

void TestKubeParts::execCredential() {
    QFETCH(QByteArray, json);
    QFETCH(QString, apiVersion);
    QFETCH(QString, error);
    const auto c = ExecCredential::parse(json, apiVersion);
    if (!error.isEmpty()) {
        QVERIFY(!c.ok());
        QVERIFY2(c.error().contains(error), qPrintable(c.error()));
        return;
    }
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QTEST(c->token, "token");
}

QTEST_GUILESS_MAIN(TestKubeParts)
#include "tst_kubeparts.moc"
