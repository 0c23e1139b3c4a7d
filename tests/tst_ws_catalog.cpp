// /ws/catalog against the real server on an in-process kubesim with its demo workloads: the
// snapshot, pods and Jobs pushed as they change, namespaces, v1 clients refused, parameters.

#include "wsclient.h"
#include "wsfixture.h"
#include "wsrawclient.h"
#include "wswait.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include "kube/kubeclient.h"
#include "kubesim/kubesim.h"

#include <httpclient.h>

using namespace pw::server;

using namespace WsTest;

class TestWsCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void snapshotThenPodChanges();
    void jobsAppearLive();
    void largeNamespaceArrivesWhole();
    void manyJobsArriveWhole();
    void v1ClientIsRefused();
    void parameters_data();
    void parameters();

private:
    void start();
    void allToldInParts(const QString &kind, const QString &list, const QString &prefix, int count,
                        bool onceEach = false);
    QUrl catalog(const QString &query) const { return m_f->url(QStringLiteral("/ws/catalog"), query); }
    std::unique_ptr<Fixture> m_f;
};

namespace {

QJsonObject podNamed(const QJsonArray &pods, const QString &prefix)
{
    for (const QJsonValue &p : pods)
        if (p[QStringLiteral("name")].toString().startsWith(prefix))
            return p.toObject();
    return {};
}

// The last pod change about a pod whose name starts with `prefix`, of `action`.
QJsonObject lastChange(const Client &c, const QString &prefix, const QString &action)
{
    for (auto it = c.messages.crbegin(); it != c.messages.crend(); ++it)
        if (it->value(QStringLiteral("type")).toString() == QStringLiteral("pod")
            && it->value(QStringLiteral("action")).toString() == action
            && (*it)[QStringLiteral("pod")][QStringLiteral("name")].toString().startsWith(prefix))
            return *it;
    return {};
}

} // namespace

void TestWsCatalog::start()
{
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start({}, {}, true));
    QVERIFY(waitFor([&] { return m_f->pulls->isReady(); }, 10000));
}

// The first message is the snapshot of the namespace's pods and Jobs; then each change: a
// container's restart, a deleted pod; the namespaces come in their own message.
void TestWsCatalog::snapshotThenPodChanges()
{
    start();
    if (QTest::currentTestFailed())
        return;
    Client c(catalog(QStringLiteral("namespace=demo")));
    QVERIFY(waitFor([&] { return !c.messages.isEmpty(); }, 10000));
    const QJsonObject snapshot = c.ofType(QStringLiteral("catalog")).value(0);
    QCOMPARE(snapshot.value(QStringLiteral("namespace")).toString(), QStringLiteral("demo"));
    const QJsonArray pods = snapshot.value(QStringLiteral("pods")).toArray();
    QCOMPARE(pods.size(), 3);
    const QJsonObject worker = podNamed(pods, QStringLiteral("batch-worker-"));
    QCOMPARE(worker.value(QStringLiteral("phase")).toString(), QStringLiteral("Running"));
    QCOMPARE(worker.value(QStringLiteral("images")).toArray(),
             (QJsonArray{QStringLiteral("ghcr.io/example/worker:2.3.1"), QStringLiteral("fluent/fluent-bit:3.1")}));
    QCOMPARE(worker.value(QStringLiteral("containers")).toArray().size(), 2);
    QVERIFY(worker.contains(QStringLiteral("restarts")));
    QCOMPARE(worker[QStringLiteral("labels")][QStringLiteral("app")].toString(), QStringLiteral("batch-worker"));
    QCOMPARE(snapshot.value(QStringLiteral("jobs")).toArray().size(), 0);

    QVERIFY(waitFor([&] { return !c.ofType(QStringLiteral("namespaces")).isEmpty(); }, 10000));
    const QJsonArray namespaces = c.ofType(QStringLiteral("namespaces")).first().value(QStringLiteral("namespaces")).toArray();
    QVERIFY(namespaces.contains(QStringLiteral("demo")));
    QVERIFY(namespaces.contains(QStringLiteral("default")));

    // flaky-importer's container restarts every few seconds: pushed without asking.
    QVERIFY(waitFor([&] {
        return lastChange(c, QStringLiteral("flaky-importer-"), QStringLiteral("upsert"))[QStringLiteral("pod")][QStringLiteral("restarts")].toInt() >= 1;
    }, 20000));

    const QString web = podNamed(pods, QStringLiteral("web-frontend-")).value(QStringLiteral("name")).toString();
    HttpClient http;
    QCOMPARE(http.send("DELETE", QUrl(m_f->sim->url().toString() + QStringLiteral("/api/v1/namespaces/demo/pods/") + web)).status, 200);
    QVERIFY(waitFor([&] { return !lastChange(c, web, QStringLiteral("delete")).isEmpty(); }, 10000));
    QVERIFY(!c.closed);
    QVERIFY(c.ofType(QStringLiteral("error")).isEmpty());
}

// A Job created after the client connected is pushed with its image, then its pod.
void TestWsCatalog::jobsAppearLive()
{
    start();
    if (QTest::currentTestFailed())
        return;
    Client c(catalog(QString())); // the cluster's namespace: default
    QVERIFY(waitFor([&] { return !c.ofType(QStringLiteral("catalog")).isEmpty(); }, 10000));
    QCOMPARE(c.ofType(QStringLiteral("catalog")).first().value(QStringLiteral("namespace")).toString(), QStringLiteral("default"));
    const QString id = m_f->startPull(QStringLiteral("example.com/team/app:1.2"));
    QVERIFY(!id.isEmpty());
    const auto jobChange = [&] {
        for (const QJsonObject &m : c.ofType(QStringLiteral("job")))
            if (m[QStringLiteral("job")][QStringLiteral("name")].toString() == id)
                return m.value(QStringLiteral("job")).toObject();
        return QJsonObject();
    };
    QVERIFY(waitFor([&] { return !jobChange().isEmpty(); }, 10000));
    QCOMPARE(jobChange().value(QStringLiteral("image")).toString(), QStringLiteral("example.com/team/app:1.2"));
    // Viewers of one namespace share its watches: a second catalogue opens none.
    const quint64 watches = m_f->sim->watchesOpened();
    Client second(catalog(QString()));
    QVERIFY(waitFor([&] { return !second.ofType(QStringLiteral("catalog")).isEmpty(); }, 10000));
    QCOMPARE(second.ofType(QStringLiteral("catalog")).first().value(QStringLiteral("jobs")).toArray().size(), 1);
    QCOMPARE(m_f->sim->watchesOpened(), watches);
    QVERIFY(waitFor([&] {
        for (const QJsonObject &m : c.ofType(QStringLiteral("pod")))
            if (m[QStringLiteral("pod")][QStringLiteral("job")].toString() == id)
                return true;
        return false;
    }, 20000));
}

// A namespace whose snapshot is larger than a client's send queue (here 64 KB; 8 MiB, some
// 10,000 pods, by default) still arrives whole: the first pods in the snapshot, the rest as
// upserts at the pace the client reads. Before, the snapshot was one message the queue could
// not hold and the client was closed with 1013 on every attempt.
void TestWsCatalog::largeNamespaceArrivesWhole()
{
    m_f = std::make_unique<Fixture>();
    m_f->logBenchPods = 300;
    WsConfig ws;
    ws.maxQueueBytes = 64 * 1024;
    QVERIFY(m_f->start(ws, {}, true));
    QVERIFY(waitFor([&] { return m_f->pulls->isReady(); }, 10000));
    allToldInParts(QStringLiteral("pod"), QStringLiteral("pods"), QStringLiteral("log-bench-"), 300);
}

// The same for Jobs: 150 Jobs (about 25 KB of items) through a 16 KB send queue. Before Jobs
// were paged, the snapshot held them all and the viewer was closed with 1013, again and again.
// The Jobs' pods cannot be scheduled, so once each Job is active nothing changes: every Job
// the viewer is told of comes from the snapshot or its paging, each exactly once.
void TestWsCatalog::manyJobsArriveWhole()
{
    m_f = std::make_unique<Fixture>();
    WsConfig ws;
    ws.maxQueueBytes = 16 * 1024;
    QVERIFY(m_f->start(ws, {}, true));
    QVERIFY(waitFor([&] { return m_f->pulls->isReady(); }, 10000));
    const int before = m_f->sim->jobCount();
    const QJsonObject container{{"name", "work"}, {"image", "example.com/unschedulable:1"}};
    for (int i = 0; i < 150; ++i) {
        const QJsonObject job{
            {"apiVersion", "batch/v1"},
            {"kind", "Job"},
            {"metadata", QJsonObject{{"name", QStringLiteral("bulk-%1").arg(i, 3, 10, QLatin1Char('0'))}}},
            {"spec", QJsonObject{{"template", QJsonObject{{"spec", QJsonObject{
                         {"restartPolicy", "Never"}, {"containers", QJsonArray{container}}}}}}}}};
        m_f->kube->createJob(QStringLiteral("demo"), job);
    }
    // Created one by one through the client: slow under the sanitizers, hence the minute.
    QVERIFY2(waitFor([&] { return m_f->sim->jobCount() >= before + 150; }, 60000),
             qPrintable(QStringLiteral("%1 of 150 Jobs created").arg(m_f->sim->jobCount() - before)));
    {
        // Until no Job has changed for 2 s (each became active once).
        Client settling(catalog(QStringLiteral("namespace=demo")));
        qsizetype seen = -1;
        QElapsedTimer quiet;
        QVERIFY(waitFor(
            [&] {
                const qsizetype n = settling.ofType(QStringLiteral("job")).size();
                if (n != seen) {
                    seen = n;
                    quiet.start();
                }
                return !settling.ofType(QStringLiteral("catalog_complete")).isEmpty()
                       && quiet.elapsed() > 2000;
            },
            60000));
    }
    allToldInParts(QStringLiteral("job"), QStringLiteral("jobs"), QStringLiteral("bulk-"), 150, true);
}

// A catalogue viewer of "demo" is told all `count` items of `kind` (listed under `list` in the
// snapshot) whose names start with `prefix`: the first ones in the snapshot, which says it is
// not complete, the others as upserts at the pace the viewer reads, then catalog_complete; it is
// never closed as slow.
void TestWsCatalog::allToldInParts(const QString &kind, const QString &list, const QString &prefix,
                                   int count, bool onceEach)
{
    Client c(catalog(QStringLiteral("namespace=demo")));
    QJsonObject snapshot;
    QHash<QString, int> times; // how often each name was told
    int told = 0;
    const auto collect = [&] {
        if (c.ofType(QStringLiteral("catalog")).isEmpty())
            return false;
        snapshot = c.ofType(QStringLiteral("catalog")).first();
        times.clear();
        for (const QJsonValue &item : snapshot.value(list).toArray())
            ++times[item[QStringLiteral("name")].toString()];
        for (const QJsonObject &m : c.ofType(kind))
            if (m.value(QStringLiteral("action")).toString() == QStringLiteral("upsert"))
                ++times[m[kind][QStringLiteral("name")].toString()];
        told = 0;
        for (auto it = times.cbegin(); it != times.cend(); ++it)
            told += it.key().startsWith(prefix);
        return told == count;
    };
    QVERIFY2(waitFor(collect, 60000), qPrintable(QStringLiteral("%1 of %2 told, closed: %3 (%4)")
                                                     .arg(told)
                                                     .arg(count)
                                                     .arg(c.closed)
                                                     .arg(c.closeCode)));
    QVERIFY(!c.closed);
    QCOMPARE(snapshot.value(QStringLiteral("complete")).toBool(), false);
    QVERIFY(waitFor([&] { return !c.ofType(QStringLiteral("catalog_complete")).isEmpty(); }, 5000));
    QVERIFY(snapshot.value(list).toArray().size() < count);
    QCOMPARE(m_f->stats().slowCloses, 0u);
    if (onceEach) {
        collect(); // everything told up to catalog_complete
        for (auto it = times.cbegin(); it != times.cend(); ++it)
            if (it.key().startsWith(prefix))
                QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 told %2 times").arg(it.key()).arg(it.value())));
    }
}

// A message type the original service never had: a client that did not ask for v2 is told so.
void TestWsCatalog::v1ClientIsRefused()
{
    start();
    if (QTest::currentTestFailed())
        return;
    Client c(catalog(QStringLiteral("namespace=demo")), {});
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.messages.size(), 1);
    QVERIFY2(c.messages.first().value(QStringLiteral("error")).toString().contains(QStringLiteral("pullwatch.v2")),
             qPrintable(c.messages.first().value(QStringLiteral("error")).toString()));
}

void TestWsCatalog::parameters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("namespace") << QByteArray("namespace=demo") << 101 << QString();
    QTest::newRow("no namespace") << QByteArray() << 101 << QString();
    QTest::newRow("unknown parameter") << QByteArray("ns=demo") << 400 << QStringLiteral("unknown parameter 'ns'; allowed: namespace, v");
    QTest::newRow("bad namespace") << QByteArray("namespace=Demo_1") << 400 << QStringLiteral("namespace");
    QTest::newRow("bad version") << QByteArray("namespace=demo&v=3") << 400 << QStringLiteral("v ");
}

// Checked before the upgrade: a bad parameter is a 400 naming it.
void TestWsCatalog::parameters()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(QString, error);
    if (!m_f)
        start();
    if (QTest::currentTestFailed())
        return;
    RawClient raw(m_f->server->port(), "/ws/catalog" + (query.isEmpty() ? QByteArray() : "?" + query));
    QCOMPARE(raw.handshake(), status);
    if (status == 400) {
        QVERIFY(waitFor([&] { return !raw.body.isEmpty(); }, 5000));
        const QJsonObject body = QJsonDocument::fromJson(raw.body).object();
        QCOMPARE(body.value(QStringLiteral("code")).toInt(), 400);
        QVERIFY2(body.value(QStringLiteral("error")).toString().startsWith(error), raw.body.constData());
    }
}

QTEST_GUILESS_MAIN(TestWsCatalog)
#include "tst_ws_catalog.moc"
