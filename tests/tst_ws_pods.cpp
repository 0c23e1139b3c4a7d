#include "wsstatusfixture.h"

#include "logs/podcatalog.h"
#include "server/wscatalogroutes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <httpclient.h>

using namespace pw::logs;
using namespace pw::server;

using namespace WsTest;

namespace {

QStringList podNames(const HttpResult &r)
{
    QStringList out;
    for (const QJsonValue &p : QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray())
        out.append(p[QStringLiteral("name")].toString());
    return out;
}

} // namespace

// /namespaces and /pods: the real server on an in-process kubesim — the answers, their cache
// (bounded in count and in bytes, dropped with the namespace's pods) and errors.
class TestWsPods : public WsStatusFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { stopServer(); }
    void namespacesAndPods();
    void podsAnswerIsCached();
    void podsAnswersAreBounded();
    void podsAnswerAfterTheNamespaceWasDropped();
    void podsAnswersAreBoundedInBytes();
};

void TestWsPods::namespacesAndPods()
{
    HttpClient http;
    const HttpResult ns = http.get(m_f->httpUrl(QStringLiteral("/namespaces")));
    QCOMPARE(ns.status, 200);
    const QJsonObject nsBody = QJsonDocument::fromJson(ns.body).object();
    QCOMPARE(nsBody.value(QStringLiteral("message")).toString(), QStringLiteral("success"));
    QStringList names;
    for (const QJsonValue &v : nsBody.value(QStringLiteral("data")).toArray())
        names.append(v[QStringLiteral("name")].toString());
    QVERIFY2(names.contains(QStringLiteral("default")) && names.contains(QStringLiteral("demo")),
             qPrintable(names.join(u',')));

    const QString id = m_f->startPull(QStringLiteral("nginx:1.26"));
    QVERIFY(!id.isEmpty());
    const QString pod = m_f->podOf(id);
    QVERIFY(!pod.isEmpty());
    QJsonArray pods;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const HttpResult r = http.get(m_f->httpUrl(QStringLiteral("/pods"),
                                                       QStringLiteral("namespace=default&job=") + id));
            pods = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray();
            return r.status == 200 && pods.size() == 1;
        }(),
        10000);
    const QJsonObject p = pods[0].toObject();
    QCOMPARE(p.value(QStringLiteral("name")).toString(), pod);
    QCOMPARE(p.value(QStringLiteral("job")).toString(), id);
    QCOMPARE(p.value(QStringLiteral("namespace")).toString(), QStringLiteral("default"));
    QVERIFY(!p.value(QStringLiteral("phase")).toString().isEmpty());
    QCOMPARE(p.value(QStringLiteral("init_containers")).toArray().size(), 2);
    QCOMPARE(p.value(QStringLiteral("containers")).toArray()[0][QStringLiteral("name")].toString(),
             QStringLiteral("push-to-harbor"));
    QVERIFY(!p.value(QStringLiteral("containers")).toArray()[0][QStringLiteral("state")].toString().isEmpty());

    // Many requests, one watch: served from the namespace's cache. Only the catalogue's
    // watches count (pods or jobs of the namespace, no label selector): the pull service's
    // own watches (by its label selector) are re-opened whenever the cluster ends them.
    const auto catalogueWatches = [&](const char *resource) {
        return m_f->sim->watchesOpened(QString::fromLatin1(resource), QStringLiteral("default"));
    };
    QTRY_COMPARE(catalogueWatches("pods"), quint64(1));
    for (int i = 0; i < 20; ++i)
        QCOMPARE(http.get(m_f->httpUrl(QStringLiteral("/pods"), QStringLiteral("namespace=default"))).status, 200);
    QCOMPARE(catalogueWatches("pods"), quint64(1));
    QCOMPARE(catalogueWatches("jobs"), quint64(0));
    QCOMPARE(m_f->server->ws()->podCatalog()->namespaceCount(), 1);

    const HttpResult demo = http.get(m_f->httpUrl(QStringLiteral("/pods"), QStringLiteral("namespace=demo")));
    QCOMPARE(demo.status, 200);
    // web-frontend, batch-worker, flaky-importer (kubesim's demo workloads)
    QCOMPARE(QJsonDocument::fromJson(demo.body).object().value(QStringLiteral("data")).toArray().size(), 3);

    for (const char *bad : {"namespace=Bad_NS", "", "namespace=default&job=Bad_Job", "namespace=default&x=1"}) {
        const HttpResult r = http.get(m_f->httpUrl(QStringLiteral("/pods"), QString::fromLatin1(bad)));
        QCOMPARE(r.status, 400);
        QVERIFY(!QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).toString().isEmpty());
    }
}

// A second GET /pods of an unchanged namespace is the same body, not built again; a pod
// created or deleted in the cluster shows in the next answers (the namespace's cached bodies
// are dropped when its pods change).
void TestWsPods::podsAnswerIsCached()
{
    HttpClient http;
    const WsCatalogRoutes *routes = m_f->server->ws()->catalogRoutes();
    const auto get = [&](const QString &query) {
        return http.get(m_f->httpUrl(QStringLiteral("/pods"), query));
    };
    const quint64 built = routes->podsBodiesBuilt();
    // No pull yet: nothing changes in default.
    const HttpResult first = get(QStringLiteral("namespace=default"));
    QCOMPARE(first.status, 200);
    QCOMPARE(routes->podsBodiesBuilt(), built + 1);
    const HttpResult second = get(QStringLiteral("namespace=default"));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, first.body);
    QCOMPARE(routes->podsBodiesBuilt(), built + 1);
    // Another job filter is another body.
    QCOMPARE(get(QStringLiteral("namespace=default&job=other")).status, 200);
    QCOMPARE(get(QStringLiteral("namespace=default&job=other")).status, 200);
    QCOMPARE(routes->podsBodiesBuilt(), built + 2);
    QCOMPARE(routes->podsBodiesCached(), 2);

    // Created: a pull's pod appears, in the whole list and under its job.
    const QString id = m_f->startPull(QStringLiteral("nginx:1.26"));
    QVERIFY(!id.isEmpty());
    const QString pod = m_f->podOf(id);
    QVERIFY(!pod.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(podNames(get(QStringLiteral("namespace=default"))).contains(pod), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        podNames(get(QStringLiteral("namespace=default&job=") + id)) == QStringList{pod}, 10000);
    QVERIFY(routes->podsBodiesBuilt() > built + 2);

    // Deleted: gone from the next answers.
    const QUrl podUrl(m_f->sim->url().toString() + QStringLiteral("/api/v1/namespaces/default/pods/") + pod);
    QCOMPARE(http.send("DELETE", podUrl).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!podNames(get(QStringLiteral("namespace=default"))).contains(pod), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!podNames(get(QStringLiteral("namespace=default&job=") + id)).contains(pod),
                             10000);
}

// At most kMaxPodsBodies bodies are kept; the least recently served goes first.
void TestWsPods::podsAnswersAreBounded()
{
    HttpClient http;
    const WsCatalogRoutes *routes = m_f->server->ws()->catalogRoutes();
    const auto get = [&](const QString &query) {
        return http.get(m_f->httpUrl(QStringLiteral("/pods"), query)).status;
    };
    const auto job = [](int i) { return QStringLiteral("namespace=default&job=j-%1").arg(i); };
    const int max = WsCatalogRoutes::kMaxPodsBodies;
    QCOMPARE(get(QStringLiteral("namespace=default")), 200);
    for (int i = 0; i < max + 6; ++i) {
        QCOMPARE(get(job(i)), 200);
        if (i == max / 2)
            QCOMPARE(get(QStringLiteral("namespace=default")), 200); // served again: recent
    }
    QCOMPARE(routes->podsBodiesCached(), max);
    const quint64 built = routes->podsBodiesBuilt();
    QCOMPARE(built, quint64(max + 7));
    // j-0 … j-6 were the least recently served: dropped. The rest are still cached.
    QCOMPARE(get(QStringLiteral("namespace=default")), 200);
    QCOMPARE(get(job(7)), 200);
    QCOMPARE(get(job(max + 5)), 200);
    QCOMPARE(routes->podsBodiesBuilt(), built);
    QCOMPARE(get(job(0)), 200);
    QCOMPARE(routes->podsBodiesBuilt(), built + 1);
    QCOMPARE(routes->podsBodiesCached(), max);
}

// The namespace's pod cache is dropped while idle; a pod created meanwhile (no watch saw it)
// is in the answer built from the next cache, not the body cached from the last one.
void TestWsPods::podsAnswerAfterTheNamespaceWasDropped()
{
    m_f.reset();
    m_ws.catalogIdleMs = 100;
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start(m_ws, R"({"timeScale":0.1})", true));
    QTRY_VERIFY_WITH_TIMEOUT(m_f->pulls->isReady(), 10000);
    HttpClient http;
    const WsCatalogRoutes *routes = m_f->server->ws()->catalogRoutes();
    const QUrl url = m_f->httpUrl(QStringLiteral("/pods"), QStringLiteral("namespace=default"));
    const HttpResult before = http.get(url);
    QCOMPARE(before.status, 200);
    QCOMPARE(podNames(before), QStringList{});
    QCOMPARE(routes->podsBodiesCached(), 1);
    const PodCatalog *catalog = m_f->server->ws()->podCatalog();
    QTRY_COMPARE_WITH_TIMEOUT(catalog->namespaceCount(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(routes->podsBodiesCached(), 0, 5000);

    const QString id = m_f->startPull(QStringLiteral("nginx:1.26"));
    QVERIFY(!id.isEmpty());
    const QString pod = m_f->podOf(id);
    QVERIFY(!pod.isEmpty());
    QCOMPARE(catalog->namespaceCount(), 0); // nothing watched default meanwhile
    const quint64 built = routes->podsBodiesBuilt();
    const HttpResult after = http.get(url);
    QCOMPARE(after.status, 200);
    QVERIFY2(podNames(after).contains(pod), after.body.constData());
    QCOMPARE(routes->podsBodiesBuilt(), built + 1);
}

// The cached bodies never hold more than podsCacheBytes in all: the least recently served
// go first, and a body larger than the whole budget is served but not kept.
void TestWsPods::podsAnswersAreBoundedInBytes()
{
    HttpClient http;
    const auto get = [&](const QString &query) {
        return http.get(m_f->httpUrl(QStringLiteral("/pods"), query));
    };
    const HttpResult probe = get(QStringLiteral("namespace=default&job=j-1"));
    QCOMPARE(probe.status, 200);
    const qint64 one = probe.body.size(); // every job filter's body here: no pod, same size

    m_f.reset();
    m_ws.podsCacheBytes = 2 * one + one / 2; // room for two
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start(m_ws, R"({"timeScale":0.1})", true));
    QTRY_VERIFY_WITH_TIMEOUT(m_f->pulls->isReady(), 10000);
    const WsCatalogRoutes *routes = m_f->server->ws()->catalogRoutes();
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(get(QStringLiteral("namespace=default&job=j-%1").arg(i)).body.size(), one);
    QCOMPARE(routes->podsBodiesCached(), 2);
    QCOMPARE(routes->podsBodiesBytes(), 2 * one);
    const quint64 built = routes->podsBodiesBuilt();
    QCOMPARE(get(QStringLiteral("namespace=default&job=j-3")).status, 200); // kept
    QCOMPARE(routes->podsBodiesBuilt(), built);
    QCOMPARE(get(QStringLiteral("namespace=default&job=j-1")).status, 200); // dropped first
    QCOMPARE(routes->podsBodiesBuilt(), built + 1);

    m_f.reset();
    m_ws.podsCacheBytes = one - 1; // no body fits
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start(m_ws, R"({"timeScale":0.1})", true));
    QTRY_VERIFY_WITH_TIMEOUT(m_f->pulls->isReady(), 10000);
    routes = m_f->server->ws()->catalogRoutes();
    QCOMPARE(get(QStringLiteral("namespace=default&job=j-1")).body, probe.body);
    QCOMPARE(get(QStringLiteral("namespace=default&job=j-1")).body, probe.body);
    QCOMPARE(routes->podsBodiesBuilt(), quint64(2));
    QCOMPARE(routes->podsBodiesCached(), 0);
    QCOMPARE(routes->podsBodiesBytes(), 0);
}

QTEST_GUILESS_MAIN(TestWsPods)
#include "tst_ws_pods.moc"
