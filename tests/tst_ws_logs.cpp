#include "wsclient.h"
#include "wslogclient.h"
#include "wslogsfixture.h"
#include "wsrawclient.h"
#include "wswait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>

#include "logs/logquery.h"
#include "logs/logfanouts.h"
#include "logs/namespacepods.h"

#include <httpclient.h>

#include <QElapsedTimer>

using namespace pw::core;
using namespace pw::kube;
using namespace pw::logs;
using namespace pw::server;

using namespace WsTest;

// /ws/pod-logs: whole lines in order through upstream drops, one shared upstream per
// container, bounded memory for a client that stops reading, init-then-main order for job=,
// and the documented errors (tailLines, resume and gap: tst_ws_logs_resume).
class TestWsLogs : public WsLogsFixture
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void millionLinesThroughDrops();
    void fiftyViewersShareOneStream();
    void slowConsumerIsBounded();
    void jobFollowsInitThenMainContainers();
    void podErrors();
    void jobWaitTimesOut();
    void jobRetryFollowsNextPod();
    void nextPodOfJob_data();
    void nextPodOfJob();
};

void TestWsLogs::millionLinesThroughDrops()
{
    start();
    if (QTest::currentTestFailed())
        return;
    m_f->sim->setLogDropEveryLines(50'000);
    const QString id = m_f->startPull(QStringLiteral("example.com/chattymillion:1"));
    QVERIFY(!id.isEmpty());
    LogClient client(logs(QStringLiteral("job=%1&container=push-to-harbor").arg(id)));
    QElapsedTimer timer;
    timer.start();
    qint64 streamingAt = -1;
    connect(&client.socket, &QWebSocket::textMessageReceived, this, [&] {
        if (streamingAt < 0 && client.received > 0)
            streamingAt = timer.elapsed();
    });
    QTimer probe;
    connect(&probe, &QTimer::timeout, this, [&] {
        qInfo() << "probe received" << client.received << "frames" << client.frames << "open upstream" << m_f->sim->openLogStreams()
                << "opened" << m_f->sim->logStreamsOpened() << "skipped" << m_f->stats().framesSkipped << "gaps" << m_f->stats().gapsSent << client.gaps << client.others.size()
                << "queued peak" << m_f->stats().peakQueuedBytes << client.states() << client.errors;
    });
    if (qEnvironmentVariableIsSet("WS_PROBE")) // progress once a second, for diagnosis
        probe.start(1000);
    QVERIFY(waitFor([&] { return client.closed; }, 120000));
    const qint64 ms = timer.elapsed() - streamingAt;
    QVERIFY2(client.errors.isEmpty(), qPrintable(client.errors.join(u'\n')));
    QCOMPARE(client.firstSeq, qint64(0));
    QCOMPARE(client.received, qint64(1'000'000));
    QCOMPARE(client.gaps, qint64(0));
    QCOMPARE(client.closeCode, 1000);
    QVERIFY(client.ended());
    // The million lines are written within a fraction of a second, so the container has
    // terminated while they are read: the cuts are resumed at once and said to nobody (a
    // terminated container's log being read to its end is not a fault; a running container's
    // cut stream is announced, tst_kubelogstream::linesExactlyOnceAcrossDrops). The viewer
    // sees the stream end.
    QVERIFY2(!client.states().contains(QStringLiteral("reconnecting")), qPrintable(client.states().join(u',')));
    QCOMPARE(client.states().last(), QStringLiteral("ended"));
    QVERIFY(m_f->sim->logStreamsOpened() >= 20); // one per 50,000 lines
    qInfo("1,000,000 lines (%lld frames) in %lld ms through %llu upstream connections: %.0f lines/s",
          client.frames, ms, m_f->sim->logStreamsOpened(), 1e9 / double(qMax<qint64>(1, ms)));
}

void TestWsLogs::fiftyViewersShareOneStream()
{
    start();
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyshared:1"));
    QVERIFY(!id.isEmpty());
    std::vector<std::unique_ptr<LogClient>> clients;
    for (int i = 0; i < 50; ++i) {
        // Half by job, half by pod: the same namespace/pod/container either way.
        clients.push_back(std::make_unique<LogClient>(
            logs(QStringLiteral("job=%1&container=push-to-harbor").arg(id))));
        clients.back()->keepLines = i < 2;
    }
    QVERIFY(waitFor([&] { return std::all_of(clients.begin(), clients.end(),
                                             [](const auto &c) { return c->closed; }); },
                    60000));
    // One shared stream; the client may reopen it once when the log ends, to tell a finished
    // container from a dropped connection (PodLogStream), but never once per viewer.
    QCOMPARE(m_f->server->ws()->logStreams()->streamsStarted(), quint64(1));
    QVERIFY2(m_f->sim->logStreamsOpened() <= 2, qPrintable(QString::number(m_f->sim->logStreamsOpened())));
    for (const auto &c : clients) {
        QVERIFY2(c->errors.isEmpty(), qPrintable(c->errors.join(u'\n')));
        QCOMPARE(c->firstSeq, qint64(0));
        QCOMPARE(c->received, qint64(100'000));
        QCOMPARE(c->closeCode, 1000);
    }
    QCOMPARE(clients[0]->lines, clients[1]->lines);
    QCOMPARE(m_f->server->ws()->logStreams()->streamCount(), 0); // the last viewer ended it
}

void TestWsLogs::slowConsumerIsBounded()
{
    WsConfig ws;
    ws.softQueueBytes = 1 << 20;
    ws.maxQueueBytes = 2 << 20;
    ws.stallCloseMs = 1500;
    // This process is the cluster, the server and both clients on two shared cores: the
    // "fast" client is not much faster than the cluster writes, so its lag is given room.
    // What is bounded here is the slow client's send queue.
    ws.ringLines = 1'000'000;
    ws.ringBytes = qint64(400) << 20;
    start(ws);
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyslow:1"));
    QVERIFY(!id.isEmpty());
    const QString pod = m_f->podOf(id);
    QVERIFY(!pod.isEmpty());
    const QByteArray target = "/ws/pod-logs?pod=" + pod.toUtf8() + "&container=push-to-harbor";
    LogClient fast(logs(QStringLiteral("pod=%1&container=push-to-harbor").arg(pod)));
    RawClient slow(m_f->server->port(), target);
    QCOMPARE(slow.handshake(), 101);
    slow.stopReading();
    QVERIFY(waitFor([&] { return m_f->stats().slowCloses >= 1; }, 60000));
    slow.startReading();
    QVERIFY(waitFor([&] { return slow.closeCode > 0 || slow.disconnected; }, 10000));
    QVERIFY(waitFor([&] { return slow.disconnected; }, 10000));
    QCOMPARE(slow.closeCode, 1013);
    QVERIFY(m_f->stats().framesSkipped > 0);
    // Never more than the limit queued for any client, whatever the log rate.
    QVERIFY2(m_f->stats().peakQueuedBytes <= ws.maxQueueBytes,
             qPrintable(QString::number(m_f->stats().peakQueuedBytes)));
    QVERIFY(waitFor([&] { return fast.closed; }, 120000));
    QVERIFY2(fast.errors.isEmpty(), qPrintable(fast.errors.join(u'\n')));
    QCOMPARE(fast.gaps, qint64(0));
    QCOMPARE(fast.received, qint64(1'000'000));
    QCOMPARE(fast.closeCode, 1000);
    qInfo("slow client: %lld bytes of frames read before its 1013; peak queue %lld bytes",
          slow.frameBytes, m_f->stats().peakQueuedBytes);
}

void TestWsLogs::jobFollowsInitThenMainContainers()
{
    start();
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("nginx:1.25"));
    QVERIFY(!id.isEmpty());
    LogClient c(logs(QStringLiteral("job=%1&timestamps=true").arg(id)), false);
    c.keepLines = true;
    QVERIFY(waitFor([&] { return c.closed; }, 60000));
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    QCOMPARE(c.closeCode, 1000);
    QVERIFY(c.ended());
    QStringList containers;
    for (const QJsonObject &o : c.others) {
        const QString name = o.value(QStringLiteral("container")).toString();
        if (!name.isEmpty() && (containers.isEmpty() || containers.last() != name))
            containers.append(name);
    }
    QCOMPARE(containers, (QStringList{QStringLiteral("tools"), QStringLiteral("pull-source"),
                                      QStringLiteral("push-to-harbor")}));
    QCOMPARE(c.others.first().value(QStringLiteral("state")).toString(), QStringLiteral("waiting"));
    QVERIFY(c.received > 0);
    // timestamps=true: every line starts with its RFC 3339 timestamp.
    for (const QString &line : std::as_const(c.lines))
        QVERIFY2(line.size() > 21 && line[4] == u'-' && line[10] == u'T' && line.indexOf(u"Z ") > 18 && line.indexOf(u"Z ") < 36, qPrintable(line));
    const QJsonObject ended = c.others.last();
    QCOMPARE(ended.value(QStringLiteral("state")).toString(), QStringLiteral("ended"));
    QVERIFY2(ended.value(QStringLiteral("detail")).toString().contains(QStringLiteral("Complete")),
             qPrintable(ended.value(QStringLiteral("detail")).toString()));
}

void TestWsLogs::podErrors()
{
    start();
    if (QTest::currentTestFailed())
        return;
    // Several containers, none named: the error lists them.
    QString worker;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            HttpClient http;
            const HttpResult r = http.get(m_f->httpUrl(QStringLiteral("/pods"), QStringLiteral("namespace=demo")));
            for (const QJsonValue &p : QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray())
                if (p[QStringLiteral("name")].toString().startsWith(QStringLiteral("batch-worker")))
                    worker = p[QStringLiteral("name")].toString();
            return !worker.isEmpty();
        }(),
        10000);
    Client several(logs(QStringLiteral("namespace=demo&pod=%1").arg(worker)));
    QVERIFY(waitFor([&] { return several.closed; }, 10000));
    QCOMPARE(several.closeCode, 1008);
    QCOMPARE(several.messages.size(), 1);
    QCOMPARE(several.messages[0].value(QStringLiteral("error")).toString(),
             QStringLiteral("pod %1 has several containers; choose one with container=: worker, log-shipper").arg(worker));

    Client missing(logs(QStringLiteral("namespace=demo&pod=no-such-pod")));
    QVERIFY(waitFor([&] { return missing.closed; }, 10000));
    QCOMPARE(missing.closeCode, 1008);
    QCOMPARE(missing.messages[0].value(QStringLiteral("error")).toString(),
             QStringLiteral("pod no-such-pod not found in namespace demo"));

    Client wrong(logs(QStringLiteral("namespace=demo&pod=%1&container=nginx").arg(worker)));
    QVERIFY(waitFor([&] { return wrong.closed; }, 10000));
    QCOMPARE(wrong.closeCode, 1008);
    QVERIFY(wrong.messages[0].value(QStringLiteral("error")).toString().startsWith(
        QStringLiteral("container nginx is not in pod %1; its containers: worker, log-shipper").arg(worker)));

    // A named container of a demo pod streams; a message from the client is an error.
    LogClient ok(logs(QStringLiteral("namespace=demo&pod=%1&container=worker&tailLines=5").arg(worker)), false);
    QVERIFY(waitFor([&] { return ok.received >= 1; }, 10000));
    QVERIFY(ok.states().contains(QStringLiteral("streaming")));
    ok.socket.sendTextMessage(QStringLiteral("hello"));
    QVERIFY(waitFor([&] {
        return std::any_of(ok.others.begin(), ok.others.end(), [](const QJsonObject &o) {
            return o.value(QStringLiteral("error")).toString()
                == QStringLiteral("this endpoint takes no messages");
        });
    }, 10000));
}

void TestWsLogs::jobWaitTimesOut()
{
    WsConfig ws;
    ws.jobWaitMs = 300;
    start(ws);
    if (QTest::currentTestFailed())
        return;
    LogClient c(logs(QStringLiteral("job=no-such-job")));
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1000);
    QCOMPARE(c.states(), (QStringList{QStringLiteral("waiting"), QStringLiteral("ended")}));
    QCOMPARE(c.others.last().value(QStringLiteral("detail")).toString(),
             QStringLiteral("no pod of job no-such-job appeared within 0.3 s"));
}

void TestWsLogs::jobRetryFollowsNextPod()
{
    start();
    if (QTest::currentTestFailed())
        return;
    // pushfail: the copy fails and the Job retries with a new pod (backoffLimit 2).
    const QString id = m_f->startPull(QStringLiteral("example.com/pushfail/app:1"));
    QVERIFY(!id.isEmpty());
    LogClient c(logs(QStringLiteral("job=%1&container=push-to-harbor").arg(id)), false);
    QVERIFY(waitFor([&] { return c.closed; }, 90000));
    QCOMPARE(c.closeCode, 1000);
    QVERIFY(c.ended());
    QSet<QString> pods;
    for (const QJsonObject &o : std::as_const(c.others))
        if (!o.value(QStringLiteral("pod")).toString().isEmpty())
            pods.insert(o.value(QStringLiteral("pod")).toString());
    QVERIFY2(pods.size() >= 2, qPrintable(QStringList(pods.values()).join(u',')));
    QVERIFY(c.received > 0);
    const QString detail = c.others.last().value(QStringLiteral("detail")).toString();
    QVERIFY2(detail.contains(QStringLiteral("Failed")) || detail.contains(QStringLiteral("deleted")),
             qPrintable(detail));
}

void TestWsLogs::nextPodOfJob_data()
{
    QTest::addColumn<QStringList>("pods"); // "<name> <creationTimestamp> <job>"
    QTest::addColumn<QStringList>("followed");
    QTest::addColumn<QString>("next"); // empty: none
    const QString t0 = QStringLiteral("2026-12-06T01:00:00Z");
    const QString t1 = QStringLiteral("2026-12-06T01:00:01Z");
    QTest::newRow("first pod") << QStringList{"j-bbbbb " + t0 + " j", "j-aaaaa " + t1 + " j"}
                               << QStringList() << QStringLiteral("j-aaaaa");
    QTest::newRow("retry a second later") << QStringList{"j-zzzzz " + t0 + " j", "j-aaaaa " + t1 + " j"}
                                          << QStringList{"j-zzzzz"} << QStringLiteral("j-aaaaa");
    // The bug: the retry's random name sorted below the followed pod's, in the same second;
    // the followed pod was taken as the newest and the retry never followed.
    QTest::newRow("retry in the same second") << QStringList{"j-zzzzz " + t0 + " j", "j-aaaaa " + t0 + " j"}
                                              << QStringList{"j-zzzzz"} << QStringLiteral("j-aaaaa");
    QTest::newRow("all followed") << QStringList{"j-zzzzz " + t0 + " j", "j-aaaaa " + t0 + " j"}
                                  << QStringList{"j-zzzzz", "j-aaaaa"} << QString();
    QTest::newRow("another job's pod") << QStringList{"j-zzzzz " + t0 + " j", "k-aaaaa " + t1 + " k"}
                                       << QStringList{"j-zzzzz"} << QString();
}

// job=: the pod followed after the job's current one is the newest one not followed yet.
void TestWsLogs::nextPodOfJob()
{
    QFETCH(QStringList, pods);
    QFETCH(QStringList, followed);
    QFETCH(QString, next);
    QList<KubePod> objects;
    for (const QString &p : std::as_const(pods)) {
        const QStringList f = p.split(u' ');
        objects.append(KubePod({{QStringLiteral("metadata"),
                                 QJsonObject{{QStringLiteral("name"), f[0]},
                                             {QStringLiteral("creationTimestamp"), f[1]},
                                             {QStringLiteral("labels"),
                                              QJsonObject{{QStringLiteral("job-name"), f[2]}}}}}}));
    }
    const QSet<QString> skip(followed.cbegin(), followed.cend());
    const KubePod pod = NamespacePods::newestPodOf(objects, QStringLiteral("j"), skip);
    QCOMPARE(pod.name(), next);
}

QTEST_GUILESS_MAIN(TestWsLogs)
#include "tst_ws_logs.moc"
