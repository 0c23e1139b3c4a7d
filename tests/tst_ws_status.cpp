#include "wsclient.h"
#include "wsrawclient.h"
#include "wsstatusfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <QElapsedTimer>

#include <httpclient.h>

#include "server/wsstatushub.h"

using namespace pw::logs;
using namespace pw::server;

using namespace WsTest;

// /ws/image-pull/{id}, /ws/image-pull-all, hostile input, keep-alive and /metrics: the real
// server on an in-process kubesim, QWebSocket and raw clients (/namespaces and /pods:
// tst_ws_pods).
class TestWsStatus : public WsStatusFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { stopServer(); }
    void pullSucceeds();
    void pullFails();
    void unknownJob();
    void subscribeAllSeesLaterPulls();
    void unsubscribeStopsMessages();
    void subscriptionLimit();
    void badMessages_data();
    void badMessages();
    void repeatedAbuseCloses();
    void oversizedFrameIsRefused();
    void badUpgradeRequests_data();
    void badUpgradeRequests();
    void missingPongCloses();
    void metricsCountConnections();
};

static QStringList statuses(const Client &c)
{
    QStringList out;
    for (const QJsonObject &m : c.ofType(QStringLiteral("status")))
        out.append(m.value(QStringLiteral("status")).toString());
    return out;
}

void TestWsStatus::pullSucceeds()
{
    const QString id = m_f->startPull(QStringLiteral("nginx:1.27"));
    QVERIFY(!id.isEmpty());
    Client c(m_f->url(QStringLiteral("/ws/image-pull/") + id));
    QTRY_VERIFY_WITH_TIMEOUT(c.closed, 30000);
    QCOMPARE(c.closeCode, 1000);
    const QStringList s = statuses(c);
    QVERIFY2(s.size() >= 2, qPrintable(s.join(u',')));
    QVERIFY(s.first() == QStringLiteral("pending") || s.first() == QStringLiteral("pulling"));
    QCOMPARE(s.last(), QStringLiteral("completed"));
    QCOMPARE(c.messages.size(), s.size()); // nothing but status messages
    const QJsonObject last = c.last();
    QCOMPARE(last.value(QStringLiteral("job_id")).toString(), id);
    QCOMPARE(last.value(QStringLiteral("image")).toString(), QStringLiteral("nginx:1.27"));
    QCOMPARE(last.value(QStringLiteral("progress")).toInt(), 100);
    QVERIFY(!last.value(QStringLiteral("timestamp")).toString().isEmpty());
    QVERIFY(last.contains(QStringLiteral("message")));
    // Progress never goes backwards.
    int progress = 0;
    for (const QJsonObject &m : c.messages) {
        QVERIFY(m.value(QStringLiteral("progress")).toInt() >= progress);
        progress = m.value(QStringLiteral("progress")).toInt();
    }
    // Connecting after the end: the terminal status at once, then close 1000.
    Client late(m_f->url(QStringLiteral("/ws/image-pull/") + id));
    QTRY_VERIFY(late.closed);
    QCOMPARE(late.closeCode, 1000);
    QCOMPARE(statuses(late), QStringList{QStringLiteral("completed")});
}

void TestWsStatus::pullFails()
{
    const QString id = m_f->startPull(QStringLiteral("example.com/notfound/app:1"));
    QVERIFY(!id.isEmpty());
    Client c(m_f->url(QStringLiteral("/ws/image-pull/") + id));
    QTRY_VERIFY_WITH_TIMEOUT(c.closed, 30000);
    QCOMPARE(c.closeCode, 1000);
    const QStringList s = statuses(c);
    QVERIFY(!s.isEmpty());
    QCOMPARE(s.last(), QStringLiteral("failed"));
    QCOMPARE(c.last().value(QStringLiteral("reason")).toString(), QStringLiteral("ImageNotFound"));
    QVERIFY(!c.last().value(QStringLiteral("message")).toString().isEmpty());
}

void TestWsStatus::unknownJob()
{
    Client c(m_f->url(QStringLiteral("/ws/image-pull/no-such-job")));
    QTRY_VERIFY(c.closed);
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.messages.size(), 1);
    QCOMPARE(c.messages[0], (QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                         {QStringLiteral("error"), QStringLiteral("job not found")}}));
}

void TestWsStatus::subscribeAllSeesLaterPulls()
{
    Client c(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(c.connected);
    c.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("subscribe")},
                       {QStringLiteral("job_id"), QStringLiteral("*")}});
    QTRY_COMPARE(c.ofType(QStringLiteral("subscribed")).size(), 1);
    const QJsonObject ack = c.ofType(QStringLiteral("subscribed")).first();
    QCOMPARE(ack.value(QStringLiteral("job_id")).toString(), QStringLiteral("*"));
    QVERIFY(ack.value(QStringLiteral("snapshot")).isArray());

    const QString id = m_f->startPull(QStringLiteral("busybox:1.36"));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonObject &m : c.ofType(QStringLiteral("status")))
                if (m.value(QStringLiteral("job_id")).toString() == id
                    && m.value(QStringLiteral("status")).toString() == QStringLiteral("completed"))
                    return true;
            return false;
        }(),
        30000);
    QVERIFY(!c.closed);

    // A second subscriber by id gets the snapshot of that pull.
    Client d(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(d.connected);
    d.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("subscribe")},
                       {QStringLiteral("job_id"), id}});
    QTRY_COMPARE(d.ofType(QStringLiteral("subscribed")).size(), 1);
    const QJsonArray snapshot =
        d.ofType(QStringLiteral("subscribed")).first().value(QStringLiteral("snapshot")).toArray();
    QCOMPARE(snapshot.size(), 1);
    QCOMPARE(snapshot[0][QStringLiteral("status")].toString(), QStringLiteral("completed"));
}

void TestWsStatus::unsubscribeStopsMessages()
{
    Client c(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(c.connected);
    c.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("subscribe")},
                       {QStringLiteral("job_id"), QStringLiteral("*")}});
    QTRY_COMPARE(c.ofType(QStringLiteral("subscribed")).size(), 1);
    c.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("unsubscribe")},
                       {QStringLiteral("job_id"), QStringLiteral("*")}});
    QTRY_COMPARE(c.ofType(QStringLiteral("unsubscribed")).size(), 1);
    const qsizetype before = c.messages.size();
    const QString id = m_f->startPull(QStringLiteral("alpine:3.20"));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_f->pulls->tracker()->find(id)->isTerminal(), 30000);
    // A round trip: whatever the server sent before its answer has arrived by then.
    c.send(QStringLiteral("ping?"));
    QTRY_COMPARE(c.ofType(QStringLiteral("error")).size(), 1);
    QCOMPARE(c.messages.size(), before + 1);
    QCOMPARE(m_f->server->ws()->statusHub()->subscriptionCount(), 0);
}

void TestWsStatus::subscriptionLimit()
{
    Client c(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(c.connected);
    for (int i = 0; i < 1000; ++i)
        c.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("subscribe")},
                           {QStringLiteral("job_id"), QStringLiteral("job-%1").arg(i)}});
    QTRY_COMPARE_WITH_TIMEOUT(c.ofType(QStringLiteral("subscribed")).size(), 1000, 20000);
    c.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("subscribe")},
                       {QStringLiteral("job_id"), QStringLiteral("one-too-many")}});
    QTRY_COMPARE(c.ofType(QStringLiteral("error")).size(), 1);
    QVERIFY(c.ofType(QStringLiteral("error"))[0].value(QStringLiteral("error")).toString().contains(
        QStringLiteral("too many subscriptions: at most 1000")));
    QCOMPARE(m_f->server->ws()->statusHub()->subscriptionCount(), 1000);
    // Subscribing again to one it has is not a new subscription.
    c.send(QJsonObject{{QStringLiteral("action"), QStringLiteral("subscribe")},
                       {QStringLiteral("job_id"), QStringLiteral("job-7")}});
    QTRY_COMPARE(c.ofType(QStringLiteral("subscribed")).size(), 1001);
    c.socket.close();
    QTRY_COMPARE(m_f->server->ws()->statusHub()->subscriptionCount(), 0);
}

void TestWsStatus::badMessages_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("error");
    QTest::newRow("not json") << "subscribe please" << "malformed message: not JSON";
    QTest::newRow("truncated json") << "{\"action\":\"subscribe\"" << "malformed message: not JSON";
    QTest::newRow("array") << "[1,2]" << "malformed message: expected a JSON object";
    QTest::newRow("string") << "\"subscribe\"" << "malformed message";
    QTest::newRow("empty object") << "{}" << "missing \"action\"; allowed actions: subscribe, unsubscribe";
    QTest::newRow("action not a string") << "{\"action\":5}" << "missing \"action\"";
    QTest::newRow("unknown action") << "{\"action\":\"dance\",\"job_id\":\"x\"}" << "unknown action 'dance'; allowed actions: subscribe, unsubscribe";
    QTest::newRow("no job_id") << "{\"action\":\"subscribe\"}" << "job_id must be a job name";
    QTest::newRow("job_id a number") << "{\"action\":\"subscribe\",\"job_id\":5}" << "job_id must be a job name";
    QTest::newRow("job_id with space") << "{\"action\":\"subscribe\",\"job_id\":\"a b\"}" << "job_id must be a job name";
    QTest::newRow("job_id uppercase") << "{\"action\":\"subscribe\",\"job_id\":\"ABC\"}" << "job_id must be a job name";
    QTest::newRow("job_id too long") << QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"%1\"}").arg(QString(300, u'a')) << "job_id must be a job name";
    QTest::newRow("unsubscribe unknown") << "{\"action\":\"unsubscribe\",\"job_id\":\"abc\"}" << "not subscribed to 'abc'";
    QTest::newRow("over 4 KiB") << QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"%1\"}").arg(QString(5000, u'a')) << "message too large: 5034 bytes; at most 4096 bytes are allowed";
}

void TestWsStatus::badMessages()
{
    QFETCH(QString, message);
    QFETCH(QString, error);
    Client c(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(c.connected);
    c.send(message);
    QTRY_COMPARE(c.messages.size(), 1);
    QCOMPARE(c.messages[0].value(QStringLiteral("type")).toString(), QStringLiteral("error"));
    const QString got = c.messages[0].value(QStringLiteral("error")).toString();
    QVERIFY2(got.startsWith(error), qPrintable(got));
    QVERIFY(!c.closed);
}

void TestWsStatus::repeatedAbuseCloses()
{
    Client c(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(c.connected);
    for (int i = 0; i < m_ws.abuseLimit; ++i)
        c.send(QStringLiteral("garbage %1").arg(i));
    c.socket.sendBinaryMessage(QByteArray("binary"));
    QTRY_VERIFY(c.closed);
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.ofType(QStringLiteral("error")).size(), m_ws.abuseLimit);
    QCOMPARE(m_f->stats().abuseCloses, quint64(1));

    Client b(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(b.connected);
    b.socket.sendBinaryMessage(QByteArray("binary"));
    QTRY_COMPARE(b.messages.size(), 1);
    QVERIFY(b.messages[0].value(QStringLiteral("error")).toString().startsWith(
        QStringLiteral("binary messages are not accepted")));
}

void TestWsStatus::oversizedFrameIsRefused()
{
    // Beyond the hard cap QWebSocket refuses the frame itself (close 1009) before buffering it.
    RawClient raw(m_f->server->port(), "/ws/image-pull-all");
    QCOMPARE(raw.handshake(), 101);
    raw.sendFrame(0x1, QByteArray(m_ws.hardIncomingBytes + 10, 'x'));
    QTRY_VERIFY(raw.closeCode > 0 || raw.disconnected);
    if (raw.closeCode > 0)
        QCOMPARE(raw.closeCode, 1009);
}

void TestWsStatus::badUpgradeRequests_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("no pod or job") << QByteArray("/ws/pod-logs") << 400 << "give exactly one of pod, job and selector";
    QTest::newRow("pod and job") << QByteArray("/ws/pod-logs?pod=a&job=b") << 400 << "give exactly one of pod, job and selector";
    QTest::newRow("empty pod") << QByteArray("/ws/pod-logs?pod=") << 400 << "give exactly one of pod, job and selector";
    QTest::newRow("bad pod") << QByteArray("/ws/pod-logs?pod=Bad_Pod") << 400 << "pod";
    QTest::newRow("bad job") << QByteArray("/ws/pod-logs?job=a..b") << 400 << "job";
    QTest::newRow("bad namespace") << QByteArray("/ws/pod-logs?pod=a&namespace=-ns") << 400 << "namespace";
    QTest::newRow("empty namespace") << QByteArray("/ws/pod-logs?pod=a&namespace=") << 400 << "namespace";
    QTest::newRow("namespace with dot") << QByteArray("/ws/pod-logs?pod=a&namespace=a.b") << 400 << "namespace";
    QTest::newRow("bad container") << QByteArray("/ws/pod-logs?pod=a&container=C") << 400 << "container";
    QTest::newRow("empty container") << QByteArray("/ws/pod-logs?pod=a&container=") << 400 << "container";
    QTest::newRow("path in pod") << QByteArray("/ws/pod-logs?pod=..%2Fsecrets") << 400 << "pod";
    QTest::newRow("tailLines 0") << QByteArray("/ws/pod-logs?pod=a&tailLines=0") << 400 << "tailLines must be a whole number from 1 to 100000";
    QTest::newRow("tailLines too big") << QByteArray("/ws/pod-logs?pod=a&tailLines=100001") << 400 << "tailLines must be a whole number from 1 to 100000";
    QTest::newRow("tailLines negative") << QByteArray("/ws/pod-logs?pod=a&tailLines=-5") << 400 << "tailLines";
    QTest::newRow("tailLines plus") << QByteArray("/ws/pod-logs?pod=a&tailLines=%2B5") << 400 << "tailLines";
    QTest::newRow("tailLines text") << QByteArray("/ws/pod-logs?pod=a&tailLines=ten") << 400 << "tailLines";
    QTest::newRow("tailLines huge") << QByteArray("/ws/pod-logs?pod=a&tailLines=99999999999999999999") << 400 << "tailLines";
    QTest::newRow("timestamps") << QByteArray("/ws/pod-logs?pod=a&timestamps=yes") << 400 << "timestamps must be true or false";
    QTest::newRow("resume negative") << QByteArray("/ws/pod-logs?pod=a&resume=-1") << 400 << "resume must be";
    QTest::newRow("resume text") << QByteArray("/ws/pod-logs?pod=a&resume=x") << 400 << "resume must be";
    QTest::newRow("unknown parameter") << QByteArray("/ws/pod-logs?pod=a&follow=true") << 400 << "unknown parameter 'follow'";
    QTest::newRow("repeated parameter") << QByteArray("/ws/pod-logs?pod=a&pod=b") << 400 << "pod is given more than once";
    QTest::newRow("v=3 on pod-logs") << QByteArray("/ws/pod-logs?pod=a&v=3") << 400 << "v must be 1 (the original messages) or 2 (Pullwatch's messages); got '3'";
    QTest::newRow("empty v on image-pull-all") << QByteArray("/ws/image-pull-all?v=") << 400 << "v must be 1";
    QTest::newRow("v twice on image-pull-all") << QByteArray("/ws/image-pull-all?v=2&v=2") << 400 << "v is given more than once";
    QTest::newRow("v=two on image-pull") << QByteArray("/ws/image-pull/some-job?v=two") << 400 << "v must be 1";
    QTest::newRow("bad job id") << QByteArray("/ws/image-pull/Not_A_Job") << 400 << "job_id";
    QTest::newRow("job id too long") << QByteArray("/ws/image-pull/") + QByteArray(300, 'a') << 400 << "job_id";
}

void TestWsStatus::badUpgradeRequests()
{
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QString, error);
    RawClient raw(m_f->server->port(), target);
    QCOMPARE(raw.handshake(), status);
    const QJsonObject body = QJsonDocument::fromJson(raw.body).object();
    QCOMPARE(body.value(QStringLiteral("code")).toInt(), status);
    const QString got = body.value(QStringLiteral("error")).toString();
    QVERIFY2(got.contains(error), qPrintable(got));
    // A plain GET on a WebSocket path: 426.
    HttpClient http;
    const HttpResult plain = http.get(m_f->httpUrl(QStringLiteral("/ws/image-pull-all")));
    QCOMPARE(plain.status, 426);
}

void TestWsStatus::missingPongCloses()
{
    RawClient raw(m_f->server->port(), "/ws/image-pull-all");
    QElapsedTimer since;
    since.start();
    QCOMPARE(raw.handshake(), 101);
    Client ok(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(ok.connected);
    QTRY_VERIFY(raw.pings >= 2);
    QTRY_VERIFY_WITH_TIMEOUT(raw.disconnected, 10'000); // no pong for pongTimeoutMs
    // Pinged every pingIntervalMs (200) and closed at the first ping after pongTimeoutMs (2000):
    // not before the deadline, and only after the pings that fit in it.
    QVERIFY2(since.elapsed() >= m_ws.pongTimeoutMs, qPrintable(QString::number(since.elapsed())));
    QVERIFY2(raw.pings >= m_ws.pongTimeoutMs / m_ws.pingIntervalMs - 1,
             qPrintable(QString::number(raw.pings)));
    QCOMPARE(m_f->stats().pongTimeouts, quint64(1));
    QVERIFY(!ok.closed); // QWebSocket answers pings
    QCOMPARE(m_f->server->ws()->openConnections(), 1);
}

void TestWsStatus::metricsCountConnections()
{
    Client a(m_f->url(QStringLiteral("/ws/image-pull-all")));
    Client b(m_f->url(QStringLiteral("/ws/image-pull-all")));
    QTRY_VERIFY(a.connected && b.connected);
    HttpClient http;
    QTRY_VERIFY(http.get(m_f->httpUrl(QStringLiteral("/metrics")))
                    .body.contains("pullwatch_ws_connections{endpoint=\"image-pull-all\"} 2\n"));
    const QByteArray text = http.get(m_f->httpUrl(QStringLiteral("/metrics"))).body;
    QVERIFY(text.contains("pullwatch_ws_connections{endpoint=\"pod-logs\"} 0\n"));
    QVERIFY(text.contains("pullwatch_ws_connections_total{endpoint=\"image-pull-all\"} 2\n"));
    a.socket.close();
    QTRY_VERIFY(http.get(m_f->httpUrl(QStringLiteral("/metrics")))
                    .body.contains("pullwatch_ws_connections{endpoint=\"image-pull-all\"} 1\n"));
}

QTEST_GUILESS_MAIN(TestWsStatus)
#include "tst_ws_status.moc"
