// /ws/pod-logs in merged mode against the real server on an in-process kubesim with its demo
// workloads: container=*, selector= (pods joining and leaving), job=&container=* across a
// retried job's pods, max_pods, sinceSeconds/sinceTime, previous=true, and the parameter checks.

#include "wsclient.h"
#include "wsfixture.h"
#include "wslogclient.h"
#include "wswait.h"

#include "logs/logfanouts.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "kube/kubetimestamp.h"
#include "logs/logquery.h"

#include <httpclient.h>

#include <QDateTime>
#include <QHash>
#include <QSet>

using namespace pw::core;
using namespace pw::kube;
using namespace pw::logs;

using namespace WsTest;

namespace {

// A merged viewer: log messages by source (pod/container), each source's seq numbers checked
// to follow on (a new "streaming" message with another stream id starts a new numbering).
class MergedClient : public QObject
{
public:
    explicit MergedClient(const QUrl &url, const QStringList &subprotocols = askV2())
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, &MergedClient::onMessage);
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
            closeReason = socket.closeReason();
        });
        openSocket(socket, url, subprotocols);
    }

    void onMessage(const QString &text)
    {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = o.value(QStringLiteral("type")).toString();
        const QString source = o.value(QStringLiteral("pod")).toString() + u'/'
            + o.value(QStringLiteral("container")).toString();
        if (type != QStringLiteral("log")) {
            others.append(o);
            if (type == QStringLiteral("stream") && o.contains(QStringLiteral("stream")))
                nextSeq.remove(source); // a new stream of this source numbers from its start
            if (type == QStringLiteral("error"))
                errors.append(o.value(QStringLiteral("error")).toString());
            return;
        }
        if (!o.contains(QStringLiteral("pod")) || !o.contains(QStringLiteral("container")))
            errors.append(QStringLiteral("a merged log message without pod or container: %1").arg(text.left(200)));
        const qint64 seq = qint64(o.value(QStringLiteral("seq")).toDouble());
        const int count = o.value(QStringLiteral("lines")).toInt();
        if (nextSeq.contains(source) && nextSeq.value(source) != seq)
            errors.append(QStringLiteral("%1: seq %2, expected %3").arg(source).arg(seq).arg(nextSeq.value(source)));
        nextSeq.insert(source, seq + count);
        const QString data = o.value(QStringLiteral("data")).toString();
        QStringList got = data.split(u'\n');
        if (got.isEmpty() || !got.takeLast().isEmpty())
            errors.append(QStringLiteral("%1: a message that does not end with a whole line").arg(source));
        if (got.size() != count)
            errors.append(QStringLiteral("%1: %2 lines said, %3 held").arg(source).arg(count).arg(got.size()));
        lines[source] += got;
        order.append(source);
    }
    // Sources (pod/container) that sent lines.
    QSet<QString> sources() const
    {
        QSet<QString> out;
        for (auto it = lines.cbegin(); it != lines.cend(); ++it)
            out.insert(it.key());
        return out;
    }
    QSet<QString> pods() const
    {
        QSet<QString> out;
        for (const QString &s : sources())
            out.insert(s.section(u'/', 0, 0));
        return out;
    }
    QList<QJsonObject> states(const QString &state) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &o : others)
            if (o.value(QStringLiteral("type")).toString() == QStringLiteral("stream")
                && o.value(QStringLiteral("state")).toString() == state)
                out.append(o);
        return out;
    }

    QWebSocket socket;
    QHash<QString, QStringList> lines;
    QStringList order; // the source of each log message, in arrival order
    QHash<QString, qint64> nextSeq;
    QList<QJsonObject> others;
    QStringList errors;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;
};

QString sourcesText(const MergedClient &c)
{
    QStringList s = c.sources().values();
    s.sort();
    return s.join(u',') + QStringLiteral(" | ") + c.errors.join(QStringLiteral("; "));
}

} // namespace

class TestWsLogsMerged : public QObject
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
    void sinceSecondsOnASharedStream();
    void previousReadsTheCrashedRun();
    void v1GetsNamedLogsOnly();
    void fiveChattyPodsNoLineLostOrDuplicated();
    void resumePerSource();

private:
    void start(const QByteArray &scenario = {});
    QUrl logs(const QString &query) const { return m_f->url(QStringLiteral("/ws/pod-logs"), query); }
    // The demo pod whose name starts with `prefix`, from GET /pods (restarts of its first
    // container in *restarts).
    QString demoPod(const QString &prefix, int *restarts = nullptr);
    std::unique_ptr<Fixture> m_f;
};

void TestWsLogsMerged::start(const QByteArray &scenario)
{
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start({}, scenario, true));
    QVERIFY(waitFor([&] { return m_f->pulls->isReady(); }, 10000));
}

QString TestWsLogsMerged::demoPod(const QString &prefix, int *restarts)
{
    HttpClient http;
    const HttpResult r = http.get(m_f->httpUrl(QStringLiteral("/pods"), QStringLiteral("namespace=demo")));
    for (const QJsonValue &p : QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray()) {
        const QString name = p[QStringLiteral("name")].toString();
        if (!name.startsWith(prefix))
            continue;
        if (restarts)
            *restarts = p[QStringLiteral("containers")][0][QStringLiteral("restart_count")].toInt();
        return name;
    }
    return {};
}

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
    start();
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
    start();
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
    start();
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
    start();
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
    start();
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
    start();
    if (QTest::currentTestFailed())
        return;
    MergedClient c(logs(QStringLiteral("namespace=demo&selector=app&max_pods=2")));
    QVERIFY(waitFor([&] { return c.closed; }, 15000));
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.errors, QStringList{QStringLiteral("3 pods match; max_pods is 2 (at most 1000): raise it or narrow the selection")});
    QVERIFY(c.lines.isEmpty());
}

// A viewer with sinceSeconds joining a stream others already follow starts at that time in
// the shared buffer; the other viewer's lines are older.
void TestWsLogsMerged::sinceSecondsOnASharedStream()
{
    start();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    const QString query = QStringLiteral("namespace=demo&pod=%1&container=worker&timestamps=true").arg(worker);
    LogClient all(logs(query), false);
    all.keepLines = true;
    QVERIFY(waitFor([&] { return all.received >= 5; }, 20000));
    const QDateTime joinedAt = QDateTime::currentDateTimeUtc();
    LogClient recent(logs(query + QStringLiteral("&sinceSeconds=2")), false);
    recent.keepLines = true;
    QVERIFY(waitFor([&] { return recent.received >= 2; }, 20000));
    QCOMPARE(m_f->server->ws()->logStreams()->streamCount(), 1); // shared
    QVERIFY2(recent.firstSeq > all.firstSeq, qPrintable(QStringLiteral("%1 %2").arg(recent.firstSeq).arg(all.firstSeq)));
    const KubeTimestamp first = KubeTimestamp::parse(recent.lines.first().section(u' ', 0, 0).toLatin1());
    QVERIFY(first.valid);
    // sinceSeconds is cut to whole seconds, as the API does.
    QVERIFY2(first.seconds >= joinedAt.toSecsSinceEpoch() - 3, qPrintable(recent.lines.first()));
    const KubeTimestamp oldest = KubeTimestamp::parse(all.lines.first().section(u' ', 0, 0).toLatin1());
    QVERIFY(oldest < first);
    QVERIFY2(recent.errors.isEmpty(), qPrintable(recent.errors.join(u'\n')));
}

// previous=true reads the last terminated run of a container to its end, for one container
// and merged.
void TestWsLogsMerged::previousReadsTheCrashedRun()
{
    start();
    if (QTest::currentTestFailed())
        return;
    int restarts = 0;
    QString flaky;
    QVERIFY(waitFor([&] { flaky = demoPod(QStringLiteral("flaky-importer-"), &restarts); return restarts >= 1; }, 20000));
    LogClient one(logs(QStringLiteral("namespace=demo&pod=%1&container=importer&previous=true").arg(flaky)), false);
    one.keepLines = true;
    QVERIFY(waitFor([&] { return one.closed; }, 15000));
    QCOMPARE(one.closeCode, 1000);
    QVERIFY(!one.lines.isEmpty());
    QVERIFY2(one.lines.last().endsWith(QStringLiteral("exiting with code 1")), qPrintable(one.lines.last()));

    MergedClient merged(logs(QStringLiteral("namespace=demo&pod=%1&container=*&previous=true").arg(flaky)));
    QVERIFY(waitFor([&] { return merged.closed; }, 15000));
    QCOMPARE(merged.closeCode, 1000);
    QVERIFY2(merged.errors.isEmpty(), qPrintable(merged.errors.join(u'\n')));
    const QStringList lines = merged.lines.value(flaky + QStringLiteral("/importer"));
    QVERIFY(!lines.isEmpty());
    QVERIFY2(lines.last().endsWith(QStringLiteral("exiting with code 1")), qPrintable(lines.last()));
}

// A client of the original service (no subprotocol) gets the merged log messages, with their
// names, and no stream messages.
void TestWsLogsMerged::v1GetsNamedLogsOnly()
{
    start();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    MergedClient c(logs(QStringLiteral("namespace=demo&pod=%1&container=*").arg(worker)), {});
    QVERIFY2(waitFor([&] { return c.sources().size() == 2; }, 15000), qPrintable(sourcesText(c)));
    QVERIFY2(c.others.isEmpty(),
             c.others.isEmpty() ? "" : QJsonDocument(c.others.first()).toJson().constData());
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
}

// Five pods of a selector writing 20,000 numbered lines each at 2,000 lines/s, merged: every
// source's lines arrive complete, in order, none twice (the line's counter is its seq).
void TestWsLogsMerged::fiveChattyPodsNoLineLostOrDuplicated()
{
    start(R"({"rules": [{"keyword": "chattymerge", "outcome": "chatty", "linesPerSecond": 2000, "lines": 20000}]})");
    if (QTest::currentTestFailed())
        return;
    MergedClient c(logs(QStringLiteral("selector=%1&container=push-to-harbor")
                            .arg(QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("app.kubernetes.io/managed-by=pullwatch"))))));
    QVERIFY(waitFor([&] { return !c.states(QStringLiteral("waiting")).isEmpty() || !c.states(QStringLiteral("streaming")).isEmpty(); }, 10000));
    for (int i = 0; i < 5; ++i)
        QVERIFY(!m_f->startPull(QStringLiteral("example.com/chattymerge%1:1").arg(i)).isEmpty());
    const auto complete = [&] {
        if (c.sources().size() != 5)
            return false;
        for (const QStringList &l : std::as_const(c.lines))
            if (l.size() < 20000)
                return false;
        return true;
    };
    QVERIFY2(waitFor(complete, 120000), qPrintable(sourcesText(c)));
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    for (auto it = c.lines.cbegin(); it != c.lines.cend(); ++it) {
        QCOMPARE(it.value().size(), 20000);
        for (qsizetype i = 0; i < it.value().size(); ++i) {
            const QString &line = it.value()[i];
            const qsizetype at = line.indexOf(QStringLiteral("seq="));
            const qsizetype end = line.indexOf(u' ', at);
            if (line.mid(at + 4, end < 0 ? -1 : end - at - 4).toLongLong() != i)
                QFAIL(qPrintable(QStringLiteral("%1: line %2 is %3").arg(it.key()).arg(i).arg(line)));
        }
    }
}

// A merged viewer reconnects with resume=POD/CONTAINER:STREAM:SEQ for each source: each goes
// on exactly where it stopped; a source whose stream is gone is told it restarted.
void TestWsLogsMerged::resumePerSource()
{
    start();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    const QString query = QStringLiteral("namespace=demo&pod=%1&container=*").arg(worker);
    // Another viewer keeps the shared streams alive while the first one reconnects.
    MergedClient keeper(logs(query));
    MergedClient first(logs(query));
    const QString w = worker + QStringLiteral("/worker");
    const QString s = worker + QStringLiteral("/log-shipper");
    QVERIFY(waitFor([&] { return first.lines.value(w).size() >= 3 && first.lines.value(s).size() >= 2; }, 20000));
    QString streams[2];
    for (const QJsonObject &m : first.states(QStringLiteral("streaming")))
        if (m.contains(QStringLiteral("stream")))
            streams[m.value(QStringLiteral("container")).toString() == QStringLiteral("worker") ? 0 : 1] = m.value(QStringLiteral("stream")).toString();
    const qint64 nextW = first.nextSeq.value(w);
    const qint64 nextS = first.nextSeq.value(s);
    const QStringList seenW = first.lines.value(w);
    first.socket.close();
    QVERIFY(waitFor([&] { return first.closed; }, 5000));
    // The worker resumes; the log-shipper names a stream that is not the live one.
    MergedClient again(logs(query + QStringLiteral("&resume=") + QString::fromLatin1(QUrl::toPercentEncoding(
                                QStringLiteral("%1:%2:%3,%4:%5:%6").arg(w, streams[0]).arg(nextW).arg(s, QStringLiteral("0000gone")).arg(nextS)))));
    QVERIFY2(waitFor([&] { return again.lines.value(w).size() >= 2; }, 20000), qPrintable(sourcesText(again)));
    QVERIFY2(again.errors.isEmpty(), qPrintable(again.errors.join(u'\n')));
    // The worker's first line after the reconnect is the one after the last seen.
    const QString counter = seenW.last().section(QStringLiteral("processed batch "), 1).section(u' ', 0, 0);
    QCOMPARE(again.lines.value(w).first().section(QStringLiteral("processed batch "), 1).section(u' ', 0, 0).toLongLong(),
             counter.toLongLong() + 1);
    bool restarted = false;
    for (const QJsonObject &m : std::as_const(again.others))
        if (m.value(QStringLiteral("type")).toString() == QStringLiteral("gap") && m.value(QStringLiteral("restarted")).toBool()) {
            QCOMPARE(m.value(QStringLiteral("container")).toString(), QStringLiteral("log-shipper"));
            restarted = true;
        }
    QVERIFY(restarted);
}

QTEST_GUILESS_MAIN(TestWsLogsMerged)
#include "tst_ws_logs_merged.moc"
