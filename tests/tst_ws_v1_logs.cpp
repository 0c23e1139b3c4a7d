#include "wslogclient.h"
#include "wsrawclient.h"
#include "wsv1fixture.h"
#include "wswait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "logs/logfanouts.h"

using namespace pw::server;

using namespace WsTest;

// The original service's log viewer: it prints every message of /ws/pod-logs opened without a
// subprotocol as log text, so a v1 client gets log and error messages only — whole lines,
// no gap or state messages (the gaps and restarts are counted in /metrics instead), and the
// close says what ended the stream (docs/api.md "Protocol versions"). The real server on an
// in-process kubesim; every message is checked against the original's shapes.
class TestWsV1Logs : public WsV1Fixture
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void logSocketFollowsJob_data();
    void logSocketFollowsJob();
    void logSocketResumeIntoRestartedStream();
    void logSocketResumeBeforeBuffer();
    void logSocketSlowConsumer();
    void logSocketErrors();
    void logSocketJobWaitTimesOut();
};

void TestWsV1Logs::logSocketFollowsJob_data()
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
void TestWsV1Logs::logSocketFollowsJob()
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
void TestWsV1Logs::logSocketResumeIntoRestartedStream()
{
    qint64 resumeAt = -1;
    QString oldStream;
    const QString query = startChattyRestartAndLeave(&resumeAt, &oldStream);
    if (query.isEmpty())
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
void TestWsV1Logs::logSocketResumeBeforeBuffer()
{
    std::unique_ptr<LogClient> keeper; // keeps the shared stream alive
    const QString query = startEndlessKept(&keeper);
    if (query.isEmpty())
        return;
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
void TestWsV1Logs::logSocketSlowConsumer()
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
void TestWsV1Logs::logSocketErrors()
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
void TestWsV1Logs::logSocketJobWaitTimesOut()
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

QTEST_GUILESS_MAIN(TestWsV1Logs)
#include "tst_ws_v1_logs.moc"
