#include "wsclient.h"
#include "wsfixture.h"
#include "wslogclient.h"
#include "wsrawclient.h"
#include "wswait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "logs/logfanouts.h"
#include "server/wsstatushub.h"

#include <httpclient.h>

using namespace pw::server;

using namespace WsTest;

// The original service's clients: every socket opened without a subprotocol speaks v1 and
// gets only the original's messages (docs/api.md "Protocol versions"). Its pull page stores
// every message of a pull socket as a job status and renders status.toUpperCase(); its log
// viewer prints every message of /ws/pod-logs as log text. The real server on an in-process
// kubesim; every message a v1 client gets is checked against the original's shapes.

namespace {

const QByteArray kScenario = R"({
  "timeScale": 0.1,
  "rules": [
    {"keyword": "chattyendless", "outcome": "chatty", "linesPerSecond": 50000, "lines": 0},
    {"keyword": "chattyrestart", "outcome": "chatty", "linesPerSecond": 2000, "lines": 0}
  ]
})";

// What a v1 client asks for: nothing.
const QStringList kAskNothing;

// Why `m` is not a message of the original's pull sockets ({job_id, image, status, progress,
// message, timestamp}; more fields are allowed); empty when it is one.
QString pullShapeError(const QJsonObject &m)
{
    const QString text = QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact));
    for (const char *field : {"job_id", "image", "status", "message", "timestamp"})
        if (!m.value(QLatin1String(field)).isString())
            return QStringLiteral("no string \"%1\" in %2").arg(QLatin1String(field), text);
    static const QStringList statuses{QStringLiteral("pending"), QStringLiteral("pulling"),
                                      QStringLiteral("completed"), QStringLiteral("failed")};
    if (!statuses.contains(m.value(QStringLiteral("status")).toString()))
        return QStringLiteral("status not one of the original's four in %1").arg(text);
    if (!m.value(QStringLiteral("progress")).isDouble())
        return QStringLiteral("no number \"progress\" in %1").arg(text);
    return {};
}

// Why `m` is not a message of the original's log socket ({"type":"log","data":…} or
// {"type":"error","error":…}); empty when it is one.
QString logShapeError(const QJsonObject &m)
{
    const QString type = m.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("log") && m.value(QStringLiteral("data")).isString())
        return {};
    if (type == QLatin1String("error") && m.value(QStringLiteral("error")).isString())
        return {};
    return QStringLiteral("not a log or error message: %1")
        .arg(QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
}

QStringList shapeErrors(const QList<QJsonObject> &messages, QString (*check)(const QJsonObject &))
{
    QStringList out;
    for (const QJsonObject &m : messages) {
        const QString error = check(m);
        if (!error.isEmpty())
            out.append(error);
    }
    return out;
}

// The value of an unlabelled metric in Prometheus text; -1 when it is not there.
qint64 metricValue(const QByteArray &text, const QByteArray &name)
{
    for (const QByteArray &line : text.split('\n'))
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toLongLong();
    return -1;
}

QJsonObject subscribe(const QString &action, const QString &id)
{
    return {{QStringLiteral("action"), action}, {QStringLiteral("job_id"), id}};
}

} // namespace

class TestWsV1 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void handshake_data();
    void handshake();
    void pullSocket_data();
    void pullSocket();
    void allSocketFollowsPulls();
    void allSocketSubscriptionGetsCurrentStatus();
    void allSocketUnsubscribeHasNoAck();
    void allSocketBadMessages_data();
    void allSocketBadMessages();
    void logSocketFollowsJob_data();
    void logSocketFollowsJob();
    void logSocketResumeIntoRestartedStream();
    void logSocketResumeBeforeBuffer();
    void logSocketSlowConsumer();
    void logSocketErrors();
    void logSocketJobWaitTimesOut();

private:
    void start(const WsConfig &ws = {});
    QUrl logs(const QString &query) const { return m_f->url(QStringLiteral("/ws/pod-logs"), query); }
    // Starts the server and opens a v1 client of /ws/image-pull-all; null when either failed.
    std::unique_ptr<Client> startAndOpenAll()
    {
        start();
        if (QTest::currentTestFailed())
            return nullptr;
        auto c = std::make_unique<Client>(m_f->url(QStringLiteral("/ws/image-pull-all")),
                                          kAskNothing);
        if (!waitFor([&] { return c->connected; }, 10000))
            return nullptr;
        return c;
    }
    QByteArray metrics() const
    {
        HttpClient http;
        return http.get(m_f->httpUrl(QStringLiteral("/metrics"))).body;
    }
    std::unique_ptr<Fixture> m_f;
};

void TestWsV1::start(const WsConfig &ws)
{
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start(ws, kScenario, true));
    QVERIFY(waitFor([&] { return m_f->pulls->isReady(); }, 10000));
}

void TestWsV1::handshake_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("asked");    // Sec-WebSocket-Protocol sent
    QTest::addColumn<QByteArray>("answered"); // Sec-WebSocket-Protocol answered
    QTest::addColumn<bool>("v2");
    QTest::newRow("nothing asked: v1") << QByteArray("/ws/image-pull-all") << QByteArray()
                                       << QByteArray() << false;
    QTest::newRow("pullwatch.v2") << QByteArray("/ws/image-pull-all") << QByteArray("pullwatch.v2")
                                  << QByteArray("pullwatch.v2") << true;
    QTest::newRow("pullwatch.v2 among others")
        << QByteArray("/ws/image-pull-all") << QByteArray("chat, pullwatch.v2")
        << QByteArray("pullwatch.v2") << true;
    QTest::newRow("unknown subprotocol: v1") << QByteArray("/ws/image-pull-all")
                                             << QByteArray("pullwatch.v3") << QByteArray() << false;
    QTest::newRow("v=2 in the URL") << QByteArray("/ws/image-pull-all?v=2") << QByteArray()
                                    << QByteArray() << true;
    QTest::newRow("v=1 in the URL") << QByteArray("/ws/image-pull-all?v=1") << QByteArray()
                                    << QByteArray() << false;
    QTest::newRow("subprotocol wins over v=1")
        << QByteArray("/ws/image-pull-all?v=1") << QByteArray("pullwatch.v2")
        << QByteArray("pullwatch.v2") << true;
    QTest::newRow("pull socket, v=2") << QByteArray("/ws/image-pull/no-such-job?v=2")
                                      << QByteArray() << QByteArray() << true;
    QTest::newRow("pull socket, nothing asked")
        << QByteArray("/ws/image-pull/no-such-job") << QByteArray() << QByteArray() << false;
    QTest::newRow("log socket, pullwatch.v2")
        << QByteArray("/ws/pod-logs?pod=no-such-pod") << QByteArray("pullwatch.v2")
        << QByteArray("pullwatch.v2") << true;
}

// The handshake answers the subprotocol it chose, and the connection speaks that version:
// a bad message gets an error message (v2) or only a close with 1008 (v1).
void TestWsV1::handshake()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, asked);
    QFETCH(QByteArray, answered);
    QFETCH(bool, v2);
    start();
    if (QTest::currentTestFailed())
        return;
    RawClient raw(m_f->server->port(), target, asked);
    QCOMPARE(raw.handshake(), 101);
    QCOMPARE(raw.header("sec-websocket-protocol"), answered);
    raw.sendFrame(0x1, "garbage");
    const auto hasError = [&raw] {
        return std::any_of(raw.texts.cbegin(), raw.texts.cend(), [](const QByteArray &text) {
            return QJsonDocument::fromJson(text).object().value(QStringLiteral("type"))
                == QStringLiteral("error");
        });
    };
    if (v2) {
        QVERIFY2(waitFor(hasError, 10000), raw.texts.join('\n').constData());
    } else {
        QVERIFY(waitFor([&] { return raw.closeCode > 0; }, 10000));
        QCOMPARE(raw.closeCode, 1008);
        QVERIFY2(raw.texts.isEmpty(), raw.texts.join('\n').constData());
    }
    QCOMPARE(m_f->stats().v1Connections, quint64(v2 ? 0 : 1));
    QCOMPARE(m_f->stats().v2Connections, quint64(v2 ? 1 : 0));
}

void TestWsV1::pullSocket_data()
{
    QTest::addColumn<QString>("image");        // empty: no such job
    QTest::addColumn<QString>("send");         // sent once connected (empty: nothing)
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QStringList>("lastStatus"); // of the last message (empty: no message)
    QTest::addColumn<QString>("closeReason");  // the close reason starts with this
    const QString pending = QStringLiteral("pending");
    const QString pulling = QStringLiteral("pulling");
    QTest::newRow("pull succeeds") << QStringLiteral("nginx:1.27") << QString() << 1000
                                   << QStringList{QStringLiteral("completed")}
                                   << QStringLiteral("pull completed");
    QTest::newRow("pull fails") << QStringLiteral("example.com/notfound/app:1") << QString() << 1000
                                << QStringList{QStringLiteral("failed")}
                                << QStringLiteral("pull failed");
    QTest::newRow("unknown job") << QString() << QString() << 1008 << QStringList()
                                 << QStringLiteral("job not found");
    QTest::newRow("client sends a message")
        << QStringLiteral("example.com/slow/app:1") << QStringLiteral("hello") << 1008
        << QStringList{pending, pulling} << QStringLiteral("this endpoint takes no messages");
}

// /ws/image-pull/{id}: only status messages, then the close.
void TestWsV1::pullSocket()
{
    QFETCH(QString, image);
    QFETCH(QString, send);
    QFETCH(int, closeCode);
    QFETCH(QStringList, lastStatus);
    QFETCH(QString, closeReason);
    start();
    if (QTest::currentTestFailed())
        return;
    QString id = QStringLiteral("no-such-job");
    if (!image.isEmpty()) {
        id = m_f->startPull(image);
        QVERIFY(!id.isEmpty());
    }
    Client c(m_f->url(QStringLiteral("/ws/image-pull/") + id), kAskNothing);
    if (!send.isEmpty()) {
        // After the current status, so that the close follows a message.
        QVERIFY(waitFor([&] { return !c.messages.isEmpty(); }, 10000));
        c.send(send);
    }
    QVERIFY(waitFor([&] { return c.closed; }, 60000));
    QCOMPARE(c.closeCode, closeCode);
    QVERIFY2(c.closeReason.startsWith(closeReason), qPrintable(c.closeReason));
    const QStringList errors = shapeErrors(c.messages, pullShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    if (lastStatus.isEmpty()) {
        QCOMPARE(c.messages.size(), 0);
        return;
    }
    QVERIFY(!c.messages.isEmpty());
    QVERIFY2(lastStatus.contains(c.last().value(QStringLiteral("status")).toString()),
             qPrintable(c.last().value(QStringLiteral("status")).toString()));
    QCOMPARE(c.last().value(QStringLiteral("job_id")).toString(), id);
    QCOMPARE(c.last().value(QStringLiteral("image")).toString(), image);
}

// /ws/image-pull-all, subscribed to every pull: status messages only, no acknowledgement.
void TestWsV1::allSocketFollowsPulls()
{
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    c.send(subscribe(QStringLiteral("subscribe"), QStringLiteral("*")));
    const QString ok = m_f->startPull(QStringLiteral("busybox:1.36"));
    const QString bad = m_f->startPull(QStringLiteral("example.com/notfound/app:2"));
    QVERIFY(!ok.isEmpty() && !bad.isEmpty());
    const auto finished = [&](const QString &id, const QString &status) {
        return std::any_of(c.messages.cbegin(), c.messages.cend(), [&](const QJsonObject &m) {
            return m.value(QStringLiteral("job_id")).toString() == id
                && m.value(QStringLiteral("status")).toString() == status;
        });
    };
    QVERIFY(waitFor([&] { return finished(ok, QStringLiteral("completed"))
                                 && finished(bad, QStringLiteral("failed")); },
                    60000));
    QVERIFY(!c.closed);
    const QStringList errors = shapeErrors(c.messages, pullShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
}

// Subscribing to one pull: its current status at once, as a status message (no ack).
void TestWsV1::allSocketSubscriptionGetsCurrentStatus()
{
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    const QString id = m_f->startPull(QStringLiteral("alpine:3.20"));
    QVERIFY(!id.isEmpty());
    QVERIFY(waitFor([&] { return m_f->pulls->tracker()->find(id)->isTerminal(); }, 60000));
    c.send(subscribe(QStringLiteral("subscribe"), id));
    QVERIFY(waitFor([&] { return !c.messages.isEmpty(); }, 10000));
    QCOMPARE(c.messages.size(), 1);
    QCOMPARE(pullShapeError(c.messages[0]), QString());
    QCOMPARE(c.messages[0].value(QStringLiteral("job_id")).toString(), id);
    QCOMPARE(c.messages[0].value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(c.messages[0].value(QStringLiteral("progress")).toInt(), 100);
}

// Unsubscribing is done without an answer; the next pull is not sent.
void TestWsV1::allSocketUnsubscribeHasNoAck()
{
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    c.send(subscribe(QStringLiteral("subscribe"), QStringLiteral("*")));
    QVERIFY(waitFor([&] { return m_f->server->ws()->statusHub()->subscriptionCount() == 1; }, 10000));
    c.send(subscribe(QStringLiteral("unsubscribe"), QStringLiteral("*")));
    QVERIFY(waitFor([&] { return m_f->server->ws()->statusHub()->subscriptionCount() == 0; }, 10000));
    const QString id = m_f->startPull(QStringLiteral("alpine:3.19"));
    QVERIFY(!id.isEmpty());
    QVERIFY(waitFor([&] { return m_f->pulls->tracker()->find(id)->isTerminal(); }, 60000));
    // A round trip: whatever the server sent before its answer (the close) has arrived.
    c.send(QStringLiteral("ping?"));
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.messages.size(), 0);
}

void TestWsV1::allSocketBadMessages_data()
{
    QTest::addColumn<QString>("message"); // empty: a binary message
    QTest::addColumn<QString>("reason");
    QTest::newRow("not json") << "subscribe please" << "malformed message: not JSON";
    QTest::newRow("array") << "[1,2]" << "malformed message: expected a JSON object";
    QTest::newRow("no action") << "{}" << "missing \"action\"";
    QTest::newRow("unknown action") << "{\"action\":\"dance\",\"job_id\":\"x\"}" << "unknown action 'dance'";
    QTest::newRow("no job_id") << "{\"action\":\"subscribe\"}" << "job_id must be a job name";
    QTest::newRow("job_id not a name") << "{\"action\":\"subscribe\",\"job_id\":\"A B\"}" << "job_id must be a job name";
    QTest::newRow("unknown job") << "{\"action\":\"subscribe\",\"job_id\":\"no-such-job\"}" << "job not found: no-such-job";
    QTest::newRow("unsubscribe unknown") << "{\"action\":\"unsubscribe\",\"job_id\":\"abc\"}" << "not subscribed to 'abc'";
    QTest::newRow("over 4 KiB") << QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"%1\"}").arg(QString(5000, u'a')) << "message too large";
    // 3-byte characters: the reason's 123rd byte is inside one.
    QTest::newRow("not ASCII, long") << QStringLiteral("{\"action\":\"%1\"}").arg(QString(60, QChar(0x20ac))) << QStringLiteral("unknown action '%1").arg(QString(35, QChar(0x20ac)));
    QTest::newRow("binary") << QString() << "binary messages are not accepted";
}

// A bad subscribe closes with 1008 and says why in the close reason; no message is sent.
void TestWsV1::allSocketBadMessages()
{
    QFETCH(QString, message);
    QFETCH(QString, reason);
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    if (message.isEmpty())
        c.socket.sendBinaryMessage(QByteArray("binary"));
    else
        c.send(message);
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1008);
    QVERIFY2(c.closeReason.startsWith(reason), qPrintable(c.closeReason));
    // RFC 6455 §5.5: the reason fits a control frame, cut at a character boundary.
    QVERIFY2(c.closeReason.toUtf8().size() <= 123, qPrintable(c.closeReason));
    QCOMPARE(c.messages.size(), 0);
    QCOMPARE(m_f->stats().rejectedMessages, quint64(1));
}

void TestWsV1::logSocketFollowsJob_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("query");   // after job=<id>
    QTest::addColumn<QString>("ended");   // the close reason starts with this (%1: the job)
    QTest::addColumn<int>("streams");     // shared streams followed, at least
    QTest::newRow("init containers then the main one")
        << QStringLiteral("nginx:1.25") << QStringLiteral("&timestamps=true")
        << QStringLiteral("log ended: job %1 finished (Complete)") << 3;
    // pushfail: the copy fails and the Job starts another pod, whose log follows.
    QTest::newRow("pod restart") << QStringLiteral("example.com/pushfail/app:1")
                                 << QStringLiteral("&container=push-to-harbor")
                                 << QStringLiteral("log ended: job %1 finished (Failed)") << 2;
}

// job=: every container and pod the job= stream follows, as log messages only (whole lines),
// then close 1000 with what ended it.
void TestWsV1::logSocketFollowsJob()
{
    QFETCH(QString, image);
    QFETCH(QString, query);
    QFETCH(QString, ended);
    QFETCH(int, streams);
    start();
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(image);
    QVERIFY(!id.isEmpty());
    Client c(logs(QStringLiteral("job=") + id + query), kAskNothing);
    QVERIFY(waitFor([&] { return c.closed; }, 90000));
    QCOMPARE(c.closeCode, 1000);
    QVERIFY2(c.closeReason.startsWith(ended.arg(id)), qPrintable(c.closeReason));
    const QStringList errors = shapeErrors(c.messages, logShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QVERIFY(!c.messages.isEmpty());
    for (const QJsonObject &m : std::as_const(c.messages)) {
        QCOMPARE(m.value(QStringLiteral("type")).toString(), QStringLiteral("log"));
        QVERIFY(m.value(QStringLiteral("data")).toString().endsWith(u'\n')); // whole lines
    }
    // One shared stream per container of each pod: they all came on this socket.
    QVERIFY2(m_f->server->ws()->logStreams()->streamsStarted() >= quint64(streams),
             qPrintable(QString::number(m_f->server->ws()->logStreams()->streamsStarted())));
}

// resume= into a stream that restarted at 0: v2 says so in a gap message; v1 gets the lines
// only, and the restart is counted in /metrics.
void TestWsV1::logSocketResumeIntoRestartedStream()
{
    start();
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyrestart:1"));
    QVERIFY(!id.isEmpty());
    const QString query = QStringLiteral("job=%1&container=push-to-harbor").arg(id);
    qint64 resumeAt = -1;
    QString oldStream;
    readAndLeave(*m_f, logs(query), &resumeAt, &oldStream);
    if (QTest::currentTestFailed())
        return;
    Client c(logs(query + QStringLiteral("&tailLines=100&resume=%1").arg(resumeAt)), kAskNothing);
    QVERIFY(waitFor([&] { return c.messages.size() >= 5; }, 30000));
    const QStringList errors = shapeErrors(c.messages, logShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QCOMPARE(c.ofType(QStringLiteral("log")).size(), c.messages.size());
    QCOMPARE(qint64(c.messages[0].value(QStringLiteral("seq")).toDouble()), qint64(0));
    QCOMPARE(m_f->stats().v1RestartsWithheld, quint64(1));
    QCOMPARE(metricValue(metrics(), "pullwatch_ws_v1_restarts_total"), qint64(1));
}

// resume= before the shared buffer: v2 gets a gap message; v1 only the lines there are, and
// the gap is counted in /metrics.
void TestWsV1::logSocketResumeBeforeBuffer()
{
    WsConfig ws;
    ws.ringLines = 5000;
    start(ws);
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyendless:1"));
    QVERIFY(!id.isEmpty());
    const QString query = QStringLiteral("job=%1&container=push-to-harbor").arg(id);
    LogClient keeper(logs(query)); // keeps the shared stream alive
    QVERIFY(waitFor([&] { return keeper.received > 20'000; }, 30000));
    Client c(logs(query + QStringLiteral("&resume=10")), kAskNothing);
    QVERIFY(waitFor([&] { return c.messages.size() >= 3; }, 10000));
    const QStringList errors = shapeErrors(c.messages, logShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QCOMPARE(c.ofType(QStringLiteral("log")).size(), c.messages.size());
    const qint64 first = qint64(c.messages[0].value(QStringLiteral("seq")).toDouble());
    QVERIFY(first > 10);
    // The lines before the buffer; more if this viewer or the keeper fell behind later.
    QVERIFY(m_f->stats().v1GapsWithheld >= 1);
    QVERIFY(m_f->stats().v1GapLines >= quint64(first - 10));
    const QByteArray text = metrics();
    QVERIFY(metricValue(text, "pullwatch_ws_v1_gaps_total") >= 1);
    QVERIFY(metricValue(text, "pullwatch_ws_v1_gap_lines_total") >= first - 10);
}

// A v1 viewer that stops reading: frames are skipped while its queue is full; when it reads
// again it gets the lines still buffered, never a gap message.
void TestWsV1::logSocketSlowConsumer()
{
    WsConfig ws;
    ws.softQueueBytes = 64 * 1024;
    ws.maxQueueBytes = 128 * 1024;
    ws.stallCloseMs = 120'000;
    ws.ringLines = 5000;
    start(ws);
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyendless:2"));
    QVERIFY(!id.isEmpty());
    const QString pod = m_f->podOf(id);
    QVERIFY(!pod.isEmpty());
    LogClient keeper(logs(QStringLiteral("pod=%1&container=push-to-harbor").arg(pod)));
    RawClient slow(m_f->server->port(),
                   "/ws/pod-logs?pod=" + pod.toUtf8() + "&container=push-to-harbor", QByteArray());
    QCOMPARE(slow.handshake(), 101);
    slow.stopReading();
    QVERIFY(waitFor([&] { return m_f->stats().framesSkipped > 0; }, 60000));
    // The shared buffer moves on by several times its size while the viewer does not read.
    const qint64 at = keeper.received;
    QVERIFY(waitFor([&] { return keeper.received > at + 4 * ws.ringLines; }, 60000));
    slow.startReading();
    QVERIFY(waitFor([&] { return m_f->stats().v1GapsWithheld >= 1; }, 30000));
    const qsizetype before = slow.texts.size();
    QVERIFY(waitFor([&] { return slow.texts.size() > before + 10; }, 30000));
    QVERIFY(m_f->stats().v1GapLines > 0);
    QVERIFY(!slow.disconnected);
    for (const QByteArray &text : std::as_const(slow.texts))
        QVERIFY2(text.startsWith("{\"type\":\"log\",\"data\":\""), text.constData());
}

// Errors of the original's kind are sent ({"type":"error"}); a client message closes.
void TestWsV1::logSocketErrors()
{
    start();
    if (QTest::currentTestFailed())
        return;
    Client missing(logs(QStringLiteral("namespace=demo&pod=no-such-pod")), kAskNothing);
    QVERIFY(waitFor([&] { return missing.closed; }, 10000));
    QCOMPARE(missing.closeCode, 1008);
    QCOMPARE(missing.messages.size(), 1);
    QCOMPARE(missing.messages[0],
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                          {QStringLiteral("error"),
                           QStringLiteral("pod no-such-pod not found in namespace demo")}}));

    const QString id = m_f->startPull(QStringLiteral("example.com/chattyendless:3"));
    QVERIFY(!id.isEmpty());
    Client talker(logs(QStringLiteral("job=%1&container=push-to-harbor").arg(id)), kAskNothing);
    QVERIFY(waitFor([&] { return !talker.messages.isEmpty(); }, 30000));
    talker.send(QStringLiteral("hello"));
    QVERIFY(waitFor([&] { return talker.closed; }, 10000));
    QCOMPARE(talker.closeCode, 1008);
    QCOMPARE(talker.closeReason, QStringLiteral("this endpoint takes no messages"));
    const QStringList errors = shapeErrors(talker.messages, logShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QCOMPARE(talker.ofType(QStringLiteral("log")).size(), talker.messages.size());
}

// No pod appears: no state messages, the close says what happened.
void TestWsV1::logSocketJobWaitTimesOut()
{
    WsConfig ws;
    ws.jobWaitMs = 300;
    start(ws);
    if (QTest::currentTestFailed())
        return;
    Client c(logs(QStringLiteral("job=no-such-job")), kAskNothing);
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1000);
    QCOMPARE(c.messages.size(), 0);
    QCOMPARE(c.closeReason,
             QStringLiteral("log ended: no pod of job no-such-job appeared within 0.3 s"));
}

QTEST_GUILESS_MAIN(TestWsV1)
#include "tst_ws_v1.moc"
