// /ws/pod-logs in merged mode against the real server on an in-process kubesim with its demo
// workloads: container=*, selector= (pods joining and leaving), job=&container=* across a
// retried job's pods, max_pods, v1 clients and the parameter checks (since, previous and
// resume: tst_ws_logs_merged_resume).

#include "wsclient.h"
#include "wslogclient.h"
#include "wslogsfixture.h"
#include "wsmergedclient.h"
#include "wswait.h"

#include "logs/logfanouts.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "logs/logquery.h"

#include <httpclient.h>

#include <QSet>

using namespace pw::core;
using namespace pw::kube;
using namespace pw::logs;

using namespace WsTest;

class TestWsLogsMerged : public WsLogsFixture
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void parameters_data();
    void parameters();
    void podAllContainers();
    void selectorMergesMatchingPods();
    void selectorPodLeaves();
    void selectorPodsJoinFromRetriedJob();
    void jobAllContainersAcrossRetries();
    void maxPodsRefusesTooMany();
    void v1GetsNamedLogsOnly();
};

void TestWsLogsMerged::parameters_data()
{
    QTest::addColumn<QStringList>("items"); // key=value
    QTest::addColumn<QString>("error");     // the error's start; empty: valid
    QTest::newRow("pod, every container") << QStringList{"pod=a", "container=*"} << QString();
    QTest::newRow("job, every container") << QStringList{"job=j", "container=*"} << QString();
    QTest::newRow("selector") << QStringList{"selector=app=web"} << QString();
    QTest::newRow("selector, set-based") << QStringList{"selector=tier in (a,b),!canary"} << QString();
    QTest::newRow("selector, one container") << QStringList{"selector=app", "container=worker"} << QString();
    QTest::newRow("selector, empty") << QStringList{"selector="} << QStringLiteral("selector must be a label selector");
    QTest::newRow("selector, bad set") << QStringList{"selector=tier in a,b"} << QStringLiteral("selector must be a label selector");
    QTest::newRow("selector, too long") << QStringList{"selector=" + QString(1025, u'a')} << QStringLiteral("selector must be at most 1024");
    QTest::newRow("selector and pod") << QStringList{"selector=app", "pod=a"} << QStringLiteral("give exactly one of pod, job and selector");
    QTest::newRow("nothing to follow") << QStringList{"container=*"} << QStringLiteral("give exactly one of pod, job and selector");
    QTest::newRow("max_pods") << QStringList{"selector=app", "max_pods=10"} << QString();
    QTest::newRow("max_pods 0") << QStringList{"selector=app", "max_pods=0"} << QStringLiteral("max_pods must be a whole number from 1 to 1000");
    QTest::newRow("max_pods 1001") << QStringList{"selector=app", "max_pods=1001"} << QStringLiteral("max_pods must be a whole number from 1 to 1000");
    QTest::newRow("max_pods, one container") << QStringList{"pod=a", "container=c", "max_pods=3"} << QStringLiteral("max_pods is read only with");
    QTest::newRow("sinceSeconds") << QStringList{"pod=a", "sinceSeconds=60"} << QString();
    QTest::newRow("sinceSeconds 0") << QStringList{"pod=a", "sinceSeconds=0"} << QStringLiteral("sinceSeconds must be a whole number from 1");
    QTest::newRow("sinceSeconds negative") << QStringList{"pod=a", "sinceSeconds=-5"} << QStringLiteral("sinceSeconds must be a whole number from 1");
    QTest::newRow("sinceTime") << QStringList{"pod=a", "sinceTime=2026-12-06T03:00:00+01:00"} << QString();
    QTest::newRow("sinceTime, not RFC 3339") << QStringList{"pod=a", "sinceTime=yesterday"} << QStringLiteral("sinceTime must be an RFC 3339 time");
    QTest::newRow("sinceSeconds and sinceTime") << QStringList{"pod=a", "sinceSeconds=5", "sinceTime=2026-12-06T02:00:00Z"} << QStringLiteral("give at most one of sinceSeconds and sinceTime");
    QTest::newRow("previous") << QStringList{"pod=a", "previous=true"} << QString();
    QTest::newRow("previous, not a flag") << QStringList{"pod=a", "previous=yes"} << QStringLiteral("previous must be true or false");
    QTest::newRow("resume of a merged stream, one number") << QStringList{"pod=a", "container=*", "resume=5"} << QStringLiteral("resume in a merged stream names each source");
    QTest::newRow("resume per source") << QStringList{"selector=app", "resume=web-1/nginx:00c0ffee:10,batch-2/worker:abc:0"} << QString();
    QTest::newRow("resume per source, no stream") << QStringList{"pod=a", "container=*", "resume=a/c:10"} << QStringLiteral("resume in a merged stream must be POD/CONTAINER:STREAM:SEQ");
    QTest::newRow("resume per source, bad seq") << QStringList{"pod=a", "container=*", "resume=a/c:s1:-1"} << QStringLiteral("resume in a merged stream must be");
    QTest::newRow("resume per source, twice") << QStringList{"pod=a", "container=*", "resume=a/c:s1:1,a/c:s2:2"} << QStringLiteral("resume names a/c more than once");
    QTest::newRow("resume per source, one container") << QStringList{"pod=a", "container=c", "resume=a/c:s1:1"} << QStringLiteral("resume=POD/CONTAINER:STREAM:SEQ is for a merged stream");
    QTest::newRow("container, bad name") << QStringList{"pod=a", "container=A*"} << QStringLiteral("container");
}

// Every parameter is checked before the upgrade: a bad one is an error naming it.
void TestWsLogsMerged::parameters()
{
    QFETCH(QStringList, items);
    QFETCH(QString, error);
    QList<QPair<QString, QString>> pairs;
    for (const QString &item : std::as_const(items))
        pairs.append({item.section(u'=', 0, 0), item.section(u'=', 1)});
    const Result<LogQuery> q = LogQuery::parse(pairs, QStringLiteral("default"));
    QVERIFY2(q.ok() == error.isEmpty(), qPrintable(q.ok() ? QStringLiteral("accepted") : q.error()));
    if (!q.ok()) {
        QVERIFY2(q.error().startsWith(error), qPrintable(q.error()));
        return;
    }
    const LogQuery v = q.value();
    if (items.contains(QStringLiteral("selector=app")) && items.size() == 1)
        QCOMPARE(v.container, QStringLiteral("*"));
    if (items.contains(QStringLiteral("sinceTime=2026-12-06T03:00:00+01:00")))
        QCOMPARE(v.sinceTime, QStringLiteral("2026-12-06T02:00:00Z"));
    if (items.contains(QStringLiteral("selector=app")) && items.contains(QStringLiteral("container=worker")))
        QVERIFY(!v.allContainers() && v.merged());
    if (items.contains(QStringLiteral("max_pods=10")))
        QCOMPARE(v.maxPods, 10);
    if (items.contains(QStringLiteral("previous=true")))
        QVERIFY(v.previous);
    if (items.contains(QStringLiteral("sinceSeconds=60")))
        QCOMPARE(v.sinceSeconds, qint64(60));
    if (v.sourceResumes.size() == 2) {
        QCOMPARE(v.sourceResumes.value(QStringLiteral("web-1/nginx")).stream, QStringLiteral("00c0ffee"));
        QCOMPARE(v.sourceResumes.value(QStringLiteral("web-1/nginx")).seq, qint64(10));
        QCOMPARE(v.sourceResumes.value(QStringLiteral("batch-2/worker")).seq, qint64(0));
    }
}

// container=* of a pod: one stream of both containers, each message naming its source, each
// source announced by a stream message with its stream id.
void TestWsLogsMerged::podAllContainers()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    QVERIFY(!worker.isEmpty());
    MergedClient c(logs(QStringLiteral("namespace=demo&pod=%1&container=*").arg(worker)));
    const QSet<QString> expected{worker + QStringLiteral("/worker"), worker + QStringLiteral("/log-shipper")};
    QVERIFY2(waitFor([&] { return c.sources() == expected && c.lines.value(worker + QStringLiteral("/worker")).size() >= 3; }, 15000),
             qPrintable(sourcesText(c)));
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    QVERIFY(!c.closed);
    QSet<QString> announced;
    for (const QJsonObject &s : c.states(QStringLiteral("streaming")))
        if (!s.value(QStringLiteral("stream")).toString().isEmpty()) {
            QCOMPARE(s.value(QStringLiteral("pod")).toString(), worker);
            QCOMPARE(s.value(QStringLiteral("namespace")).toString(), QStringLiteral("demo"));
            announced.insert(worker + u'/' + s.value(QStringLiteral("container")).toString());
        }
    QCOMPARE(announced, expected);
    QVERIFY(c.lines.value(worker + QStringLiteral("/worker")).first().contains(QStringLiteral("processed batch")));
    QVERIFY(c.lines.value(worker + QStringLiteral("/log-shipper")).first().contains(QStringLiteral("heartbeat")));

    // Upstream sharing: another merged viewer and a viewer of one container of the same pod
    // use the two upstreams already open.
    const quint64 started = m_f->server->ws()->logStreams()->streamsStarted();
    MergedClient again(logs(QStringLiteral("namespace=demo&pod=%1&container=*").arg(worker)));
    LogClient one(logs(QStringLiteral("namespace=demo&pod=%1&container=worker").arg(worker)), false);
    QVERIFY2(waitFor([&] { return again.sources() == expected && one.received > 0; }, 15000), qPrintable(sourcesText(again)));
    QCOMPARE(m_f->server->ws()->logStreams()->streamCount(), 2);
    QCOMPARE(m_f->server->ws()->logStreams()->streamsStarted(), started);
}

// selector=: every container of every matching pod, nothing of the others; a container that
// crashes is said to have ended and its next run is followed as a new stream.
void TestWsLogsMerged::selectorMergesMatchingPods()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    const QString flaky = demoPod(QStringLiteral("flaky-importer-"));
    QVERIFY(!worker.isEmpty() && !flaky.isEmpty());
    MergedClient c(logs(QStringLiteral("namespace=demo&selector=%1")
                            .arg(QString::fromLatin1(QUrl::toPercentEncoding(
                                QStringLiteral("app in (batch-worker,flaky-importer)"))))));
    const QSet<QString> expected{worker + QStringLiteral("/worker"), worker + QStringLiteral("/log-shipper"),
                                 flaky + QStringLiteral("/importer")};
    QVERIFY2(waitFor([&] { return c.sources() == expected; }, 15000), qPrintable(sourcesText(c)));
    // The importer exits every 6 s and restarts a second later: its run ends, the next one
    // is followed under a new stream id.
    const auto importerStreams = [&] {
        QSet<QString> ids;
        for (const QJsonObject &s : c.states(QStringLiteral("streaming")))
            if (s.value(QStringLiteral("container")).toString() == QStringLiteral("importer"))
                ids.insert(s.value(QStringLiteral("stream")).toString());
        return ids;
    };
    QVERIFY2(waitFor([&] { return importerStreams().size() >= 2; }, 20000), qPrintable(sourcesText(c)));
    bool ended = false;
    for (const QJsonObject &s : c.states(QStringLiteral("ended")))
        ended |= s.value(QStringLiteral("container")).toString() == QStringLiteral("importer");
    QVERIFY(ended);
    QVERIFY(c.lines.value(flaky + QStringLiteral("/importer")).join(u'\n').contains(QStringLiteral("exiting with code 1")));
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    QVERIFY(!c.closed);
}

// A pod that leaves a selection (deleted) is said to have left; the others go on.
void TestWsLogsMerged::selectorPodLeaves()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString web = demoPod(QStringLiteral("web-frontend-"));
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    QVERIFY(!web.isEmpty());
    MergedClient c(logs(QStringLiteral("namespace=demo&selector=app")));
    QVERIFY2(waitFor([&] { return c.pods().contains(web) && c.pods().contains(worker); }, 15000),
             qPrintable(sourcesText(c)));
    HttpClient http;
    QCOMPARE(http.send("DELETE", QUrl(m_f->sim->url().toString() + QStringLiteral("/api/v1/namespaces/demo/pods/") + web)).status, 200);
    const QString left = QStringLiteral("pod %1 was deleted").arg(web);
    QVERIFY2(waitFor([&] {
                 for (const QJsonObject &s : c.states(QStringLiteral("ended")))
                     if (s.value(QStringLiteral("detail")).toString() == left && !s.contains(QStringLiteral("container")))
                         return true;
                 return false;
             }, 15000),
             qPrintable(sourcesText(c)));
    const qsizetype workerLines = c.lines.value(worker + QStringLiteral("/worker")).size();
    QVERIFY(waitFor([&] { return c.lines.value(worker + QStringLiteral("/worker")).size() > workerLines; }, 10000));
    QVERIFY(!c.closed);
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
}

// A selector matching a job's pods: the retry pods join the stream as the job creates them.
void TestWsLogsMerged::selectorPodsJoinFromRetriedJob()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    MergedClient before(logs(QStringLiteral("selector=app%3Dnothing-yet")));
    // pushfail: the copy fails and the Job retries with a new pod (backoffLimit 2).
    const QString id = m_f->startPull(QStringLiteral("example.com/pushfail/app:1"));
    QVERIFY(!id.isEmpty());
    MergedClient c(logs(QStringLiteral("selector=job-name%3D") + id));
    QVERIFY2(waitFor([&] { return c.pods().size() >= 2; }, 90000), qPrintable(sourcesText(c)));
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    QVERIFY(!c.closed); // a selector is followed until the client leaves
    QVERIFY(before.lines.isEmpty());
    QCOMPARE(before.states(QStringLiteral("waiting")).size(), 1);
    QVERIFY(!before.closed);
}

// job=&container=*: every container of every pod of the job, init containers first, until the
// job has failed.
void TestWsLogsMerged::jobAllContainersAcrossRetries()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString id = m_f->startPull(QStringLiteral("example.com/pushfail/app:1"));
    QVERIFY(!id.isEmpty());
    MergedClient c(logs(QStringLiteral("job=%1&container=*").arg(id)));
    QVERIFY2(waitFor([&] { return c.closed; }, 120000), qPrintable(sourcesText(c)));
    QCOMPARE(c.closeCode, 1000);
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    QVERIFY2(c.pods().size() >= 2, qPrintable(sourcesText(c)));
    const QJsonObject last = c.others.last();
    QCOMPARE(last.value(QStringLiteral("state")).toString(), QStringLiteral("ended"));
    QVERIFY2(last.value(QStringLiteral("detail")).toString().contains(QStringLiteral("Failed")),
             qPrintable(last.value(QStringLiteral("detail")).toString()));
    // Per pod: its main container (push-to-harbor) is first heard of after an init container.
    for (const QString &pod : c.pods()) {
        const qsizetype main = c.order.indexOf(pod + QStringLiteral("/push-to-harbor"));
        qsizetype firstOfPod = -1;
        for (qsizetype i = 0; i < c.order.size() && firstOfPod < 0; ++i)
            if (c.order[i].startsWith(pod + u'/'))
                firstOfPod = i;
        QVERIFY2(main > firstOfPod, qPrintable(c.order.join(u',')));
    }
}

void TestWsLogsMerged::maxPodsRefusesTooMany()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    MergedClient c(logs(QStringLiteral("namespace=demo&selector=app&max_pods=2")));
    QVERIFY(waitFor([&] { return c.closed; }, 15000));
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.errors, QStringList{QStringLiteral("3 pods match; max_pods is 2 (at most 1000): raise it or narrow the selection")});
    QVERIFY(c.lines.isEmpty());
}

// A client of the original service (no subprotocol) gets the merged log messages, with their
// names, and no stream messages.
void TestWsLogsMerged::v1GetsNamedLogsOnly()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    MergedClient c(logs(QStringLiteral("namespace=demo&pod=%1&container=*").arg(worker)), {});
    QVERIFY2(waitFor([&] { return c.sources().size() == 2; }, 15000), qPrintable(sourcesText(c)));
    QVERIFY2(c.others.isEmpty(),
             c.others.isEmpty() ? "" : QJsonDocument(c.others.first()).toJson().constData());
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestWsLogsMerged)
#include "tst_ws_logs_merged.moc"
