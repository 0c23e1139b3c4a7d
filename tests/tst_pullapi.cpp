#include "pullapifixture.h"

#include "server/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTest>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::pulls;
using namespace pw::server;

// The REST API of docs/architecture.md §3 over real HTTP, on the simulated cluster: envelopes and
// shapes, and the same answers through Redis — also while Redis is killed and started again
// (its input checks: tst_pullapi_input).
class TestPullApi : public PullApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startServers(); }
    void cleanupTestCase() { stopServers(); }
    void startListAndShapes();
    void detailRetryAndCancel();
    void previewShowsTheTarget();
    void historyPagesNewestFirst();
    void metricsAndReadiness();
    void sameAnswersThroughRedis();
    void redisKilledUnderSteadyRequests();
    void clusterUnreachableAnswers503(); // last: stops the cluster
};

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
    QCOMPARE(created.header("Retry-After"), QByteArray::number(pw::server::ApiError::kRetryAfterSeconds));
    QVERIFY2(envelope(created)["error"].toString().contains("cluster"), created.body.constData());
    const HttpResult cancelled = m_http.send("DELETE", url("/images/pull/" + ids.first()), {});
    QCOMPARE(cancelled.status, 503);
    QVERIFY2(envelope(cancelled)["error"].toString().contains(ids.first()), cancelled.body.constData());
}

QTEST_GUILESS_MAIN(TestPullApi)
#include "tst_pullapi.moc"
