#include "clusterfixture.h"

#include "cache/rediscache.h"
#include "cache/redisclient.h"
#include "cache/responsecache.h"
#include "core/clock.h"
#include "core/envelope.h"
#include "core/imagereference.h"
#include "pulls/pullservice.h"
#include "server/apiserver.h"

#include "httpclient.h"
#include "redisprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::pulls;
using namespace pw::server;

// The REST API of docs/architecture.md §3 over real HTTP, on the simulated cluster: envelopes and
// shapes, errors for every bad parameter and body, and the same answers through Redis —
// also while Redis is killed and started again.
class TestPullApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void startListAndShapes();
    void detailRetryAndCancel();
    void originalInputsAccepted_data();
    void originalInputsAccepted();
    void failedLimitAsTheOriginal_data();
    void failedLimitAsTheOriginal();
    void previewShowsTheTarget();
    void historyPagesNewestFirst();
    void pullCheckSaysWhatIsWrong();
    void pullCheckAppliesThePullRules();
    void hostileInput_data();
    void hostileInput();
    void metricsAndReadiness();
    void sameAnswersThroughRedis();
    void redisKilledUnderSteadyRequests();
    void clusterUnreachableAnswers503(); // last: stops the cluster

private:
    QUrl url(const QString &path, bool redis = false) const;
    QJsonObject envelope(const HttpResult &r) const;
    QStringList startPulls(const QStringList &names);

    std::unique_ptr<ClusterFixture> m_cluster;
    std::unique_ptr<PullService> m_pulls;
    std::unique_ptr<ResponseCache> m_cache;
    std::unique_ptr<ApiServer> m_server;
    RedisProcess m_redis;
    std::unique_ptr<RedisClient> m_redisClient;
    std::unique_ptr<RedisCache> m_redisCache;
    std::unique_ptr<ResponseCache> m_sharedCache;
    std::unique_ptr<ApiServer> m_redisServer;
    HttpClient m_http;
};

void TestPullApi::initTestCase()
{
    m_cluster = std::make_unique<ClusterFixture>(0.05);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    PullSettings settings;
    settings.pullBackOffGraceSeconds = 1;
    m_pulls = std::make_unique<PullService>(m_cluster->client(), settings, nullptr, Clock::system());
    QSignalSpy ready(m_pulls.get(), &PullService::ready);
    m_pulls->start();
    QVERIFY(ready.wait(10'000));
    m_cache = std::make_unique<ResponseCache>(Clock::system(), nullptr);
    ServerConfig config;
    config.port = 0;
    m_server = std::make_unique<ApiServer>(config, ApiServices{m_pulls.get(), m_cache.get(), m_cluster->client(), {}});
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));

    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
    RedisEndpoint endpoint;
    endpoint.port = m_redis.port();
    RedisClient::Timing timing;
    timing.reconnectMaxMs = 500;
    m_redisClient = std::make_unique<RedisClient>(endpoint, timing);
    m_redisClient->connectToServer();
    QTRY_VERIFY(m_redisClient->isUsable());
    m_redisCache = std::make_unique<RedisCache>(m_redisClient.get());
    m_sharedCache = std::make_unique<ResponseCache>(Clock::system(), m_redisCache.get());
    m_redisServer = std::make_unique<ApiServer>(config, ApiServices{m_pulls.get(), m_sharedCache.get(), m_cluster->client(), {}});
    QVERIFY2(m_redisServer->start(&error), qPrintable(error));
}

void TestPullApi::cleanupTestCase()
{
    m_redisServer.reset();
    m_server.reset();
    m_pulls.reset();
}

QUrl TestPullApi::url(const QString &path, bool redis) const
{
    return QUrl((redis ? m_redisServer : m_server)->baseUrl() + path);
}

QJsonObject TestPullApi::envelope(const HttpResult &r) const
{
    return QJsonDocument::fromJson(r.body).object();
}

QStringList TestPullApi::startPulls(const QStringList &names)
{
    const HttpResult r = m_http.send("POST", url("/images/pull"),
                                     QJsonDocument(QJsonObject{{"names", QJsonArray::fromStringList(names)}}).toJson());
    if (r.status != 200)
        qWarning("POST /images/pull: %d %s", r.status, r.body.constData());
    QStringList ids;
    for (const QJsonValue &v : envelope(r)["data"].toObject()["job_ids"].toArray())
        ids << v.toString();
    return ids;
}

void TestPullApi::startListAndShapes()
{
    HttpResult r = m_http.send("POST", url("/images/pull"), R"({"names":["nginx:1.27","team/pushfail-api:2"]})");
    QCOMPARE(r.status, 200);
    QJsonObject e = envelope(r);
    QCOMPARE(e["code"].toInt(), 200);
    QCOMPARE(e["message"].toString(), "image pull job started");
    const QJsonArray ids = e["data"].toObject()["job_ids"].toArray();
    QCOMPARE(ids.size(), 2);
    QVERIFY(ids[0].toString().startsWith("image-puller-"));

    // The other two request forms.
    r = m_http.send("POST", url("/images/pull"), R"({"name":"redis","tag":"7.2"})");
    QCOMPARE(r.status, 200);
    r = m_http.send("POST", url("/images/pull"), R"({"name":"alpine:3.20"})");
    QCOMPARE(r.status, 200);

    r = m_http.get(url("/images/pull-active"));
    QCOMPARE(r.status, 200);
    e = envelope(r);
    QCOMPARE(e["message"].toString(), "success");
    const QJsonArray active = e["data"].toArray();
    QVERIFY(!active.isEmpty());
    static const QRegularExpression rfc3339("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z$");
    for (const QJsonValue &v : active) {
        const QJsonObject o = v.toObject();
        for (const char *field : {"job_id", "image_name", "image_tag", "status", "message", "updated_at"})
            QVERIFY2(o[QLatin1StringView(field)].isString(), field);
        QVERIFY(o["progress"].isDouble());
        QVERIFY(QStringList({"pending", "pulling", "completed", "failed"}).contains(o["status"].toString()));
        QVERIFY2(rfc3339.match(o["updated_at"].toString()).hasMatch(), qPrintable(o["updated_at"].toString()));
    }
    // Everything ends; the push failure shows in the failed list, newest first.
    QTRY_VERIFY_WITH_TIMEOUT(envelope(m_http.get(url("/images/pull-active")))["data"].toArray().isEmpty(), 30'000);
    r = m_http.get(url("/images/pull-failed?limit=10"));
    QCOMPARE(r.status, 200);
    const QJsonArray failed = envelope(r)["data"].toArray();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed[0].toObject()["job_id"].toString(), ids[1].toString());
    QCOMPARE(failed[0].toObject()["status"].toString(), "failed");
    QCOMPARE(failed[0].toObject()["reason"].toString(), "PushFailed");
    QCOMPARE(failed[0].toObject()["image_name"].toString(), "team/pushfail-api");
    QCOMPARE(failed[0].toObject()["image_tag"].toString(), "2");
}

void TestPullApi::detailRetryAndCancel()
{
    const QStringList ids = startPulls({"team/pushfail-detail:1", "chatty-detail:1"});
    QCOMPARE(ids.size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(envelope(m_http.get(url("/images/pull/" + ids[0])))["data"].toObject()["status"].toString(),
                              "failed", 30'000);
    QTRY_VERIFY(!envelope(m_http.get(url("/images/pull/" + ids[0])))["data"].toObject()["events"].toArray().isEmpty());
    const QJsonObject detail = envelope(m_http.get(url("/images/pull/" + ids[0])))["data"].toObject();
    QCOMPARE(detail["reason"].toString(), "PushFailed");
    // The cause first: crane's error line, not only its exit code.
    QVERIFY2(detail["message"].toString().startsWith(
                 "PUT https://harbor.local/v2/mirror/team/pushfail-detail/manifests/latest: UNAUTHORIZED"),
             qPrintable(detail["message"].toString()));
    QVERIFY(detail["logs"].toObject().contains("pull-source"));
    QVERIFY(!detail["logs"].toObject()["push-to-harbor"].toString().isEmpty());
    QCOMPARE(detail["source"].toString(), "docker.io/team/pushfail-detail:1");
    QCOMPARE(detail["target"].toString(), "harbor.local/mirror/team/pushfail-detail:1");
    QCOMPARE(detail["harbor_target"].toString(), "harbor.local/mirror/team/pushfail-detail:1");

    HttpResult r = m_http.send("POST", url("/images/pull/" + ids[0] + "/retry"));
    QCOMPARE(r.status, 200);
    const QString retried = envelope(r)["data"].toObject()["job_id"].toString();
    QVERIFY(!retried.isEmpty() && retried != ids[0]);
    QCOMPARE(envelope(m_http.get(url("/images/pull/" + retried)))["data"].toObject()["retry_of"].toString(), ids[0]);

    r = m_http.send("DELETE", url("/images/pull/" + ids[1]));
    QCOMPARE(r.status, 200);
    QCOMPARE(envelope(r)["message"].toString(), "image pull job cancelled");
    QCOMPARE(envelope(r)["data"].toObject()["reason"].toString(), "Cancelled");
    r = m_http.send("DELETE", url("/images/pull/" + ids[1]));
    QCOMPARE(r.status, 409);
}

// docs/api.md "Compatibility": what the original service accepted keeps working.
void TestPullApi::originalInputsAccepted_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("sources");
    QTest::newRow("names wins over name and tag") << QByteArray(R"({"names":["compat-a:1"],"name":"compat-b","tag":"2"})")
                                                  << QStringList{"docker.io/library/compat-a:1"};
    QTest::newRow("empty name and tag beside names") << QByteArray(R"({"names":["compat-c:1","compat-c2:1"],"name":"","tag":""})")
                                                     << QStringList{"docker.io/library/compat-c:1", "docker.io/library/compat-c2:1"};
    QTest::newRow("tag null") << QByteArray(R"({"name":"compat-d:3","tag":null})") << QStringList{"docker.io/library/compat-d:3"};
    QTest::newRow("tag empty") << QByteArray(R"({"name":"compat-e","tag":""})") << QStringList{"docker.io/library/compat-e:latest"};
    QTest::newRow("names empty, name given") << QByteArray(R"({"names":[],"name":"compat-f:1"})")
                                             << QStringList{"docker.io/library/compat-f:1"};
    QTest::newRow("names null, name and tag") << QByteArray(R"({"names":null,"name":"compat-g","tag":"2"})")
                                              << QStringList{"docker.io/library/compat-g:2"};
}

void TestPullApi::originalInputsAccepted()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, sources);
    const HttpResult r = m_http.send("POST", url("/images/pull"), body, {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == 200, r.body.constData());
    const QJsonArray ids = envelope(r)["data"].toObject()["job_ids"].toArray();
    QCOMPARE(ids.size(), sources.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        QCOMPARE(envelope(m_http.get(url("/images/pull/" + ids[i].toString())))["data"].toObject()["source"].toString(),
                 sources[i]);
}

void TestPullApi::failedLimitAsTheOriginal_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("limit"); // the limit used, seen in the cache key
    QTest::newRow("number") << "limit=7" << 7;
    QTest::newRow("absent") << "" << 50;
    QTest::newRow("empty") << "limit=" << 50;
    QTest::newRow("text") << "limit=ten" << 50;
    QTest::newRow("zero") << "limit=0" << 50;
    QTest::newRow("negative") << "limit=-5" << 50;
    QTest::newRow("plus sign") << "limit=%2B5" << 50;
    QTest::newRow("fraction") << "limit=2.5" << 50;
    QTest::newRow("above the cap") << "limit=501" << 500;
    QTest::newRow("beyond int") << "limit=99999999999999" << 500;
}

void TestPullApi::failedLimitAsTheOriginal()
{
    QFETCH(QString, query);
    QFETCH(int, limit);
    const QByteArray key = "image:pull:failed:" + QByteArray::number(limit);
    m_sharedCache->invalidate("failed"); // what an earlier row left must not answer
    m_redis.command("DEL " + key);
    QVERIFY(m_redis.command("EXISTS " + key).startsWith(":0"));
    const HttpResult r = m_http.get(QUrl::fromEncoded(url("/images/pull-failed?" + query, true).toEncoded()));
    QCOMPARE(r.status, 200);
    QCOMPARE(envelope(r)["message"].toString(), "success");
    QVERIFY(envelope(r)["data"].isArray());
    QTRY_VERIFY(m_redis.command("EXISTS " + key).startsWith(":1"));
}

void TestPullApi::previewShowsTheTarget()
{
    const int jobsBefore = m_cluster->sim()->jobCount();
    HttpResult r = m_http.send("POST", url("/images/pull-preview"),
                               R"({"names":["nginx:1.27","nvcr.io/nvidia/pytorch:24.05-py3"]})",
                               {{"Content-Type", "application/json"}});
    QCOMPARE(r.status, 200);
    const QJsonArray data = envelope(r)["data"].toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data[0].toObject()["name"].toString(), "nginx:1.27");
    QCOMPARE(data[0].toObject()["source"].toString(), "docker.io/library/nginx:1.27");
    QCOMPARE(data[0].toObject()["harbor_target"].toString(), "harbor.local/mirror/nginx:1.27");
    QCOMPARE(data[1].toObject()["harbor_target"].toString(), "harbor.local/mirror/nvcr.io/nvidia/pytorch:24.05-py3");
    QCOMPARE(data[1].toObject()["active_job_id"].toString(), "");
    QCOMPARE(m_cluster->sim()->jobCount(), jobsBefore); // nothing was created
    // A refused registry: the same 400 as POST /images/pull.
    r = m_http.send("POST", url("/images/pull-preview"), R"({"name":"169.254.169.254/latest:1"})",
                    {{"Content-Type", "application/json"}});
    QCOMPARE(r.status, 400);
    QVERIFY(envelope(r)["error"].toString().contains("link-local"));
    // An image being pulled: the pull it would join.
    const QString id = startPulls({"slow-preview:1"}).value(0);
    r = m_http.send("POST", url("/images/pull-preview"), R"({"name":"slow-preview:1"})",
                    {{"Content-Type", "application/json"}});
    QCOMPARE(envelope(r)["data"].toArray().first().toObject()["active_job_id"].toString(), id);
}

void TestPullApi::historyPagesNewestFirst()
{
    const QStringList ids = startPulls({"history-a:1", "team/pushfail-history:1", "history-b:1"});
    QCOMPARE(ids.size(), 3);
    auto history = [this](const QString &query) {
        const HttpResult r = m_http.get(url("/images/pull-history" + query));
        return r.status == 200 ? envelope(r)["data"].toArray() : QJsonArray{{r.status}};
    };
    auto idsOf = [](const QJsonArray &a) {
        QStringList out;
        for (const QJsonValue &v : a)
            out << v.toObject()["job_id"].toString();
        return out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(idsOf(history("?limit=500")).contains(ids[0])
                                 && idsOf(history("?limit=500")).contains(ids[1])
                                 && idsOf(history("?limit=500")).contains(ids[2]),
                             60'000);
    // Completed pulls are kept, with their Harbor target and how long they took.
    const QJsonArray completed = history("?status=completed&limit=500");
    QVERIFY(idsOf(completed).contains(ids[0]) && idsOf(completed).contains(ids[2]));
    QVERIFY(!idsOf(completed).contains(ids[1]));
    for (const QJsonValue &v : completed) {
        const QJsonObject o = v.toObject();
        QCOMPARE(o["status"].toString(), "completed");
        if (o["job_id"].toString() == ids[0]) {
            // (the target rule is docs/architecture.md §2's; here only that it is there)
            QVERIFY2(o["target"].toString().startsWith("harbor.local/mirror/")
                         && o["target"].toString().endsWith("history-a:1"),
                     qPrintable(o["target"].toString()));
            QVERIFY(o["duration_seconds"].toDouble() > 0);
        }
    }
    const QJsonArray failed = history("?status=failed&limit=500");
    QVERIFY(idsOf(failed).contains(ids[1]));
    for (const QJsonValue &v : failed)
        QCOMPARE(v.toObject()["status"].toString(), "failed");
    // Newest first; pages of one follow each other through `before` without gaps or repeats.
    const QJsonArray all = history("?limit=500");
    for (qsizetype i = 1; i < all.size(); ++i)
        QVERIFY(all[i - 1].toObject()["finished_at"].toString() >= all[i].toObject()["finished_at"].toString());
    QStringList paged;
    QString cursor;
    for (int page = 0; page < all.size() + 1; ++page) {
        const QJsonArray one = history("?limit=1" + cursor);
        if (one.isEmpty())
            break;
        QCOMPARE(one.size(), 1);
        const QJsonObject last = one[0].toObject();
        paged << last["job_id"].toString();
        cursor = "&before=" + QString::fromLatin1(QUrl::toPercentEncoding(last["finished_at"].toString()))
            + "&before_id=" + last["job_id"].toString();
    }
    QCOMPARE(paged, idsOf(all));
    // Pulls that finished in the same millisecond keep their order across pages.
    QCOMPARE(history("?before_id=x").size(), 1); // an error, not a page
    QCOMPARE(history("?before_id=x")[0].toInt(), 400);
}

void TestPullApi::pullCheckSaysWhatIsWrong()
{
    const QString longName(300, u'a');
    const HttpResult r = m_http.send("POST", url("/images/pull-check"),
                                     QJsonDocument(QJsonObject{{"names", QJsonArray{"nginx:1.27", "Nginx::1", longName}}})
                                         .toJson(QJsonDocument::Compact));
    QCOMPARE(r.status, 200);
    const QJsonArray results = envelope(r)["data"].toArray();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results[0].toObject()["ok"].toBool(), true);
    QCOMPARE(results[0].toObject()["source"].toString(), "docker.io/library/nginx:1.27");
    // The same words as ImageReference gives the desktop dialog.
    for (int i : {1, 2}) {
        const QJsonObject o = results[i].toObject();
        QCOMPARE(o["ok"].toBool(), false);
        QCOMPARE(o["error"].toString(), ImageReference::parse(o["name"].toString()).error());
    }
    QVERIFY2(results[2].toObject()["error"].toString().contains("300 characters"),
             qPrintable(results[2].toObject()["error"].toString()));
    // Nothing was started.
    QVERIFY(!m_http.get(url("/images/pull-active")).body.contains("Nginx"));
    // A malformed body is refused as POST /images/pull refuses it.
    QCOMPARE(m_http.send("POST", url("/images/pull-check"), "[]").status, 400);
}

// POST /images/pull-check and POST /images/pull refuse a name for the same reason, in the
// same words: the registry policy too, not only the reference rules.
void TestPullApi::pullCheckAppliesThePullRules()
{
    const QByteArray body = R"({"names":["nginx:1.27","169.254.169.254/latest:1"]})";
    const HttpResult check = m_http.send("POST", url("/images/pull-check"), body, {{"Content-Type", "application/json"}});
    QCOMPARE(check.status, 200);
    const QJsonArray results = envelope(check)["data"].toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].toObject()["ok"].toBool(), true);
    const QJsonObject refused = results[1].toObject();
    QCOMPARE(refused["ok"].toBool(), false);
    QVERIFY2(refused["error"].toString().contains("link-local"), qPrintable(refused["error"].toString()));
    const HttpResult pull = m_http.send("POST", url("/images/pull"), body, {{"Content-Type", "application/json"}});
    QCOMPARE(pull.status, 400);
    QCOMPARE(envelope(pull)["error"].toString(),
             "names[1] '169.254.169.254/latest:1': " + refused["error"].toString());
}

void TestPullApi::hostileInput_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    QTest::newRow("history status") << QByteArray("GET") << "/images/pull-history?status=done" << QByteArray() << 400 << "status must be completed, failed or all";
    QTest::newRow("history limit") << QByteArray("GET") << "/images/pull-history?limit=501" << QByteArray() << 400 << "limit must be a whole number from 1 to 500";
    QTest::newRow("history before") << QByteArray("GET") << "/images/pull-history?before=yesterday" << QByteArray() << 400 << "before must be an RFC 3339 time";
    QTest::newRow("history before_id alone") << QByteArray("GET") << "/images/pull-history?before_id=image-puller-x" << QByteArray() << 400 << "before_id must be the job_id";
    QTest::newRow("empty body") << QByteArray("POST") << "/images/pull" << QByteArray() << 400 << "request body is empty";
    QTest::newRow("malformed JSON") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[") << 400 << "not valid JSON";
    QTest::newRow("JSON array") << QByteArray("POST") << "/images/pull" << QByteArray("[\"nginx\"]") << 400 << "must be a JSON object";
    QTest::newRow("names not array") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":\"nginx\"}") << 400 << "names must be an array";
    QTest::newRow("names entry not string") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[\"nginx\",7]}") << 400 << "names[1] must be a string";
    QTest::newRow("names empty") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[]}") << 400 << "names is empty and no name is given";
    QTest::newRow("name not string") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":{}}") << 400 << "name must be a string";
    QTest::newRow("tag not string") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx\",\"tag\":1}") << 400 << "tag must be a string";
    QTest::newRow("tag twice") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx:1\",\"tag\":\"2\"}") << 400 << "already carries a tag";
    QTest::newRow("only empty name and tag") << QByteArray("POST") << "/images/pull" << QByteArray(R"({"name":"","tag":"1"})") << 400 << "no image given";
    QTest::newRow("empty names entry") << QByteArray("POST") << "/images/pull" << QByteArray(R"({"names":[""]})") << 400 << "names[0] '': image reference is empty";
    QTest::newRow("tag not string or null") << QByteArray("POST") << "/images/pull" << QByteArray(R"({"name":"nginx","tag":[]})") << 400 << "tag must be a string or null";
    QTest::newRow("no image") << QByteArray("POST") << "/images/pull" << QByteArray("{\"image\":\"nginx\"}") << 400 << "no image given";
    QTest::newRow("one bad among good") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[\"nginx:1\",\"../etc/passwd\",\"redis\"]}") << 400 << "names[1] '../etc/passwd'";
    QTest::newRow("loopback registry") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[\"nginx:1\",\"127.0.0.1:5000/x:1\"]}") << 400
                                       << "names[1] '127.0.0.1:5000/x:1': registry 127.0.0.1:5000 is a loopback address";
    QTest::newRow("metadata service registry") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"169.254.169.254/latest:1\"}") << 400
                                               << "is a link-local address";
    QTest::newRow("private registry") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"10.0.0.8/x:1\"}") << 400
                                      << "blocked network 10.0.0.0/8";
    QTest::newRow("uppercase") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"NGINX\"}") << 400 << "lowercase";
    QTest::newRow("newline in name") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx\\n:1\"}") << 400 << "control character";
    QTest::newRow("NUL in name") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx\\u0000\"}") << 400 << "control character";
    QTest::newRow("10 kB name") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"" + QByteArray(10'000, 'a') + "\"}") << 400 << "at most 1024";
    QTest::newRow("101 names") << QByteArray("POST") << "/images/pull"
                               << QByteArray("{\"names\":[" + QByteArray("\"a\",").repeated(100) + "\"a\"]}") << 400 << "at most 100";
    QTest::newRow("body over 1 MiB") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"" + QByteArray(1 << 20, 'a') + "\"}") << 413 << "larger than";
    QTest::newRow("job id traversal") << QByteArray("GET") << "/images/pull/..%2F..%2Fetc" << QByteArray() << 400 << "job_id has";
    QTest::newRow("job id uppercase") << QByteArray("GET") << "/images/pull/Image-Puller" << QByteArray() << 400 << "job_id has an uppercase letter";
    QTest::newRow("job id unicode") << QByteArray("GET") << "/images/pull/j%C3%B6b" << QByteArray() << 400 << "job_id has";
    QTest::newRow("unknown job") << QByteArray("GET") << "/images/pull/image-puller-zzzzz" << QByteArray() << 404 << "no pull with job_id 'image-puller-zzzzz'";
    QTest::newRow("retry unknown") << QByteArray("POST") << "/images/pull/image-puller-zzzzz/retry" << QByteArray() << 404 << "no pull";
    QTest::newRow("cancel bad id") << QByteArray("DELETE") << "/images/pull/a%00b" << QByteArray() << 400 << "job_id has";
    QTest::newRow("wrong method") << QByteArray("PUT") << "/images/pull-active" << QByteArray("x") << 405 << "method PUT is not allowed";
    QTest::newRow("unknown path") << QByteArray("GET") << "/images/pulls" << QByteArray() << 404 << "no such path";
}

void TestPullApi::hostileInput()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    const int jobsBefore = m_cluster->sim()->jobCount();
    const HttpResult r = m_http.send(method, QUrl::fromEncoded(url(path).toEncoded()), body,
                                     {{"Content-Type", "application/json"}});
    QCOMPARE(r.status, status);
    const auto e = Envelope::parse(r.body);
    QVERIFY2(e.ok, r.body.left(200).constData());
    QCOMPARE(e.code, status);
    QVERIFY2(e.error.contains(error), qPrintable(e.error.left(300)));
    QCOMPARE(m_cluster->sim()->jobCount(), jobsBefore); // nothing was created
}

void TestPullApi::metricsAndReadiness()
{
    HttpResult r = m_http.get(url("/readyz"));
    QCOMPARE(r.status, 200);
    QCOMPARE(QJsonDocument::fromJson(r.body).object()["status"].toString(), "ready");
    for (int i = 0; i < 5; ++i)
        m_http.get(url("/images/pull-active"));
    r = m_http.get(url("/metrics"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("text/plain; version=0.0.4"));
    for (const char *line : {"pullwatch_http_requests_total{route=\"/images/pull-active\",method=\"GET\",status=\"200\"}",
                             "pullwatch_http_request_duration_seconds_bucket{route=\"/images/pull-active\",le=\"+Inf\"}",
                             "pullwatch_cache_requests_total{family=\"active\",backend=\"memory\",result=\"hit\"}",
                             "pullwatch_pulls_active ", "pullwatch_pulls_finished_total{outcome=\"failed\"}",
                             "pullwatch_cluster_state{state=\"connected\"} 1",
                             "pullwatch_http_limited_total{limit=\"body_too_large\"}"})
        QVERIFY2(r.body.contains(line), line);
    // The pulls of the earlier functions came through the informers' watches.
    const QByteArray events = "\npullwatch_cluster_watch_events_total ";
    const qsizetype at = r.body.indexOf(events);
    QVERIFY(at >= 0);
    const QByteArray count = r.body.mid(at + events.size()).split('\n').first();
    QVERIFY2(count.toULongLong() > 0, count.constData());
}

void TestPullApi::sameAnswersThroughRedis()
{
    startPulls({"busybox:1.36", "team/pushfail-same:3"});
    QTRY_VERIFY_WITH_TIMEOUT(m_pulls->tracker()->activeCount() == 0, 30'000);
    QTest::qWait(100); // let failure details settle
    QTRY_VERIFY(!m_pulls->tracker()->failed(50).first().events.isEmpty());
    for (const char *path : {"/images/pull-active", "/images/pull-failed", "/images/pull-failed?limit=1",
                               "/images/pull-failed?limit=500"}) {
        const HttpResult memory = m_http.get(url(QString::fromLatin1(path)));
        const HttpResult redis = m_http.get(url(QString::fromLatin1(path), true));
        QCOMPARE(redis.status, memory.status);
        QCOMPARE(redis.body, memory.body);
        QCOMPARE(redis.header("Content-Type"), memory.header("Content-Type"));
    }
    QTRY_VERIFY(m_redis.command("EXISTS image:pull:failed:1").startsWith(":1"));
    QTRY_VERIFY(m_redis.command("EXISTS image:pull:active").startsWith(":1"));
}

void TestPullApi::redisKilledUnderSteadyRequests()
{
    // A steady stream: 8 requests always in flight against the Redis-backed server.
    int answered = 0, non200 = 0, inFlight = 0;
    bool running = true;
    std::function<void()> fire = [&] {
        if (!running)
            return;
        ++inFlight;
        QNetworkReply *reply = m_http.manager().get(QNetworkRequest(
            url(QString::fromLatin1(answered % 3 ? "/images/pull-active" : "/images/pull-failed?limit=20"), true)));
        connect(reply, &QNetworkReply::finished, this, [&, reply] {
            --inFlight;
            ++answered;
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
                ++non200;
            reply->deleteLater();
            fire();
        });
    };
    for (int i = 0; i < 8; ++i)
        fire();
    auto totals = [&] {
        quint64 served = 0, total = 0;
        for (const QByteArray &family : m_sharedCache->families()) {
            const CacheFamilyStats s = m_sharedCache->stats(family);
            served += s.hits + s.staleHits + s.sharedHits;
            total += s.hits + s.staleHits + s.sharedHits + s.misses;
        }
        return std::make_pair(served, total);
    };
    QTest::qWait(500);
    m_redis.stop();
    QTRY_VERIFY(!m_redisClient->isUsable());
    QTest::qWait(1000); // requests go on while Redis is gone
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
    QElapsedTimer back;
    back.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_redisClient->isUsable(), 5000);
    const auto [served0, total0] = totals();
    QTest::qWait(1000);
    const auto [served1, total1] = totals();
    running = false;
    QTRY_COMPARE(inFlight, 0);
    QVERIFY2(back.elapsed() < 5000 + 1500, "hit ratio measured too late");
    QCOMPARE(non200, 0);
    QVERIFY(answered > 100);
    const double ratio = double(served1 - served0) / double(qMax<quint64>(1, total1 - total0));
    QVERIFY2(ratio > 0.9, qPrintable(QString::number(ratio)));
    // Redis holds the answers again.
    QTRY_VERIFY(m_redis.command("EXISTS image:pull:active").startsWith(":1"));
}

// A cluster that cannot be reached is a passing state, not a refusal: starting or cancelling
// a pull answers 503 (try again), as docs/api.md says, not 502.
void TestPullApi::clusterUnreachableAnswers503()
{
    const QStringList ids = startPulls({QStringLiteral("soak/chatty-unreachable:1")});
    QCOMPARE(ids.size(), 1);
    m_cluster->sim()->stop();
    const HttpResult created = m_http.send("POST", url("/images/pull"),
                                           R"({"names":["team/app-unreachable:1"]})");
    QCOMPARE(created.status, 503);
    QCOMPARE(envelope(created)["code"].toInt(), 503);
    QVERIFY2(envelope(created)["error"].toString().contains("cluster"), created.body.constData());
    const HttpResult cancelled = m_http.send("DELETE", url("/images/pull/" + ids.first()), {});
    QCOMPARE(cancelled.status, 503);
    QVERIFY2(envelope(cancelled)["error"].toString().contains(ids.first()), cancelled.body.constData());
}

QTEST_GUILESS_MAIN(TestPullApi)
#include "tst_pullapi.moc"
