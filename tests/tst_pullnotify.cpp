#include "callbackreceiver.h"
#include "clusterfixture.h"

#include "cache/redisclient.h"
#include "cache/redishistory.h"
#include "core/clock.h"
#include "pulls/notifier.h"
#include "pulls/pullservice.h"
#include "pulls/sqlitehistory.h"

#include "redisprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QSet>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::pulls;

// Completion callbacks (docs/architecture.md §13) against the simulated cluster and a real
// HTTP receiver: signed, once per finished pull, retried with backoff, kept across a restart
// in the history store, and sent by one replica when several share Redis.
class TestPullNotify : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void completedAndFailedAreSentOnceSigned();
    void retriedWithBackoffUntilAccepted();
    void queuedCallbackSurvivesARestart();
    void sharedRedisSendsOnce();
    void givesUpAfterTheLimit();
    void redisAwayQueuesUntilItIsBack();
    void redisStallDuringTheClaimLosesNothing();

private:
    // A notifier whose queue is a real redis-server: the Redis fault tests' set-up.
    struct RedisNotifier {
        RedisProcess redis;
        std::unique_ptr<RedisClient> client;
        std::unique_ptr<RedisHistory> history;
        std::unique_ptr<Notifier> notifier;
    };
    void startOnRedis(RedisNotifier *r, const RedisClient::Timing &timing);
    struct Replica {
        std::unique_ptr<PullService> pulls;
        std::unique_ptr<Notifier> notifier;
    };
    NotifySettings settings() const;
    Replica replica(PullHistory *history, NotifyQueue *queue);
    QString startPull(PullService *s, const QString &ref);

    std::unique_ptr<ClusterFixture> m_cluster;
    CallbackReceiver m_receiver;
    QTemporaryDir m_dir;
};

void TestPullNotify::init() {
    m_cluster = std::make_unique<ClusterFixture>(0.05);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    m_receiver = CallbackReceiver();
    QVERIFY(m_receiver.start());
}

void TestPullNotify::cleanup() {
    m_receiver.stop();
    m_cluster.reset();
}

NotifySettings TestPullNotify::settings() const {
    NotifySettings s;
    s.urls = {m_receiver.url().toString()};
    s.secret = "test-signing-key";
    s.firstRetryMs = 100;
    s.maxRetryMs = 400;
    s.timeoutMs = 2000;
    return s;
}

TestPullNotify::Replica TestPullNotify::replica(PullHistory *history, NotifyQueue *queue) {
    PullSettings pull;
    pull.pullBackOffGraceSeconds = 1;
    Replica r;
    r.pulls = std::make_unique<PullService>(m_cluster->client(), pull, history, Clock::system());
    r.notifier = std::make_unique<Notifier>(settings(), queue, Clock::system());
    connect(r.pulls.get(), &PullService::pullRecorded, r.notifier.get(), &Notifier::pullFinished);
    QSignalSpy ready(r.pulls.get(), &PullService::ready);
    r.notifier->start();
    r.pulls->start();
    if (!ready.wait(10'000))
        qWarning("pull service did not list the cluster");
    return r;
}

QString TestPullNotify::startPull(PullService *s, const QString &ref) {
    QString id;
    s->startPulls({ref}, [&](const QStringList &ids, const std::optional<PullError> &e) {
        if (e)
            qWarning("start failed: %s", qPrintable(e->message));
        id = ids.value(0);
    });
    if (!QTest::qWaitFor([&] { return !id.isEmpty(); }, 10'000))
        qWarning("no job id for %s", qPrintable(ref));
    return id;
}

void TestPullNotify::completedAndFailedAreSentOnceSigned() {
    SqliteHistory history(m_dir.filePath("once.sqlite"), 100);
    Replica r = replica(&history, &history);
    const QString ok = startPull(r.pulls.get(), "notify-ok:1");
    const QString failed = startPull(r.pulls.get(), "team/pushfail-notify:1");
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.attempts(), 2, 30'000);
    QTest::qWait(500); // nothing more may arrive
    QCOMPARE(m_receiver.attempts(), 2);
    QHash<QString, QJsonObject> byId;
    for (const CallbackReceiver::Call &call : m_receiver.calls()) {
        // X-Pullwatch-Signature: sha256=<hex HMAC-SHA256(key, body)>, checked independently.
        const QByteArray expected =
            "sha256=" + QMessageAuthenticationCode::hash(call.body, "test-signing-key",
                                                         QCryptographicHash::Sha256)
                            .toHex();
        QCOMPARE(call.signature, expected);
        const QJsonObject pull = QJsonDocument::fromJson(call.body).object();
        byId.insert(pull["job_id"].toString(), pull);
        QVERIFY(call.delivery.startsWith(pull["job_id"].toString().toUtf8() + '/' +
                                         pull["status"].toString().toUtf8()));
    }
    QCOMPARE(byId.value(ok)["status"].toString(), "completed");
    QCOMPARE(byId.value(ok)["harbor_target"].toString(), "harbor.local/mirror/notify-ok:1");
    QCOMPARE(byId.value(failed)["status"].toString(), "failed");
    QCOMPARE(byId.value(failed)["reason"].toString(), "PushFailed");
    QVERIFY(!byId.value(failed)["events"].toArray().isEmpty()); // with its details
    QCOMPARE(r.notifier->delivered(), 2u);
}

void TestPullNotify::retriedWithBackoffUntilAccepted() {
    m_receiver.setFailFirst(3);
    SqliteHistory history(m_dir.filePath("retry.sqlite"), 100);
    Replica r = replica(&history, &history);
    const QString id = startPull(r.pulls.get(), "notify-retry:1");
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.accepted().size(), 1, 30'000);
    QCOMPARE(m_receiver.attempts(), 4);
    for (const CallbackReceiver::Call &call : m_receiver.calls())
        QCOMPARE(call.body, m_receiver.calls().first().body); // the same callback each time
    QCOMPARE(
        QJsonDocument::fromJson(m_receiver.accepted().first().body).object()["job_id"].toString(),
        id);
    QTest::qWait(600);
    QCOMPARE(m_receiver.attempts(), 4);
    // Delivered: nothing is left in the queue.
    bool loaded = false;
    history.pending([&](const QList<Notification> &queued) {
        QVERIFY(queued.isEmpty());
        loaded = true;
    });
    QTRY_VERIFY(loaded);
}

void TestPullNotify::queuedCallbackSurvivesARestart() {
    const quint16 port = m_receiver.port();
    m_receiver.stop(); // nobody listens: every attempt fails
    const QString db = m_dir.filePath("restart.sqlite");
    QString id;
    {
        SqliteHistory history(db, 100);
        Replica r = replica(&history, &history);
        id = startPull(r.pulls.get(), "notify-restart:1");
        QTRY_VERIFY_WITH_TIMEOUT(r.pulls->tracker()->find(id)->status == PullStatus::Completed,
                                 30'000);
        bool queued = false;
        QTRY_VERIFY([&] {
            history.pending([&](const QList<Notification> &all) { queued = all.size() == 1; });
            QTest::qWait(50);
            return queued;
        }());
        r.pulls->stop();
    }
    QVERIFY(m_receiver.start(port));
    SqliteHistory history(db, 100);
    Replica r = replica(&history, &history);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.accepted().size(), 1, 10'000);
    QCOMPARE(
        QJsonDocument::fromJson(m_receiver.accepted().first().body).object()["job_id"].toString(),
        id);
    QTest::qWait(500);
    QCOMPARE(m_receiver.attempts(), 1); // the restarted service did not queue it again
}

void TestPullNotify::sharedRedisSendsOnce() {
    m_receiver.setFailFirst(1); // one failed attempt: the retry is made once too
    RedisProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.error()));
    RedisEndpoint endpoint;
    endpoint.port = redis.port();
    RedisClient clientA(endpoint), clientB(endpoint);
    clientA.connectToServer();
    clientB.connectToServer();
    QTRY_VERIFY(clientA.isUsable() && clientB.isUsable());
    RedisHistory historyA(&clientA, 100), historyB(&clientB, 100);
    Replica a = replica(&historyA, &historyA);
    Replica b = replica(&historyB, &historyB);
    QStringList ids;
    for (int i = 0; i < 4; ++i)
        ids << startPull((i % 2 ? b : a).pulls.get(), QStringLiteral("notify-shared-%1:1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.accepted().size(), 4, 30'000);
    QTest::qWait(1500);
    QCOMPARE(m_receiver.accepted().size(), 4);
    QCOMPARE(m_receiver.attempts(), 5);
    QSet<QString> seen;
    for (const CallbackReceiver::Call &call : m_receiver.accepted())
        seen.insert(QJsonDocument::fromJson(call.body).object()["job_id"].toString());
    QCOMPARE(seen, QSet<QString>(ids.begin(), ids.end()));
    QCOMPARE(a.notifier->delivered() + b.notifier->delivered(), 4u);
    // A replica that starts later lists the same finished Jobs: it does not send them again.
    RedisClient clientC(endpoint);
    clientC.connectToServer();
    QTRY_VERIFY(clientC.isUsable());
    RedisHistory historyC(&clientC, 100);
    Replica c = replica(&historyC, &historyC);
    QTRY_VERIFY(c.pulls->tracker()->find(ids.last()));
    // …nor when its watch reports a finish late, after another replica delivered it.
    c.notifier->pullFinished(*c.pulls->tracker()->find(ids.first()));
    QTest::qWait(1500);
    QCOMPARE(m_receiver.attempts(), 5);
}

void TestPullNotify::givesUpAfterTheLimit() {
    m_receiver.setFailFirst(1000);
    SqliteHistory history(m_dir.filePath("giveup.sqlite"), 100);
    PullSettings pull;
    PullService pulls(m_cluster->client(), pull, &history, Clock::system());
    NotifySettings s = settings();
    s.giveUpMs = 1000;
    Notifier notifier(s, &history, Clock::system());
    connect(&pulls, &PullService::pullRecorded, &notifier, &Notifier::pullFinished);
    QSignalSpy ready(&pulls, &PullService::ready);
    notifier.start();
    pulls.start();
    QVERIFY(ready.wait(10'000));
    startPull(&pulls, "notify-giveup:1");
    QTRY_VERIFY_WITH_TIMEOUT(m_receiver.attempts() >= 2, 30'000);
    bool empty = false;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            history.pending([&](const QList<Notification> &all) { empty = all.isEmpty(); });
            QTest::qWait(50);
            return empty;
        }(),
        10'000);
    const int attempts = m_receiver.attempts();
    QTest::qWait(1000);
    QCOMPARE(m_receiver.attempts(), attempts); // given up: no more attempts
}

void TestPullNotify::startOnRedis(RedisNotifier *r, const RedisClient::Timing &timing) {
    QVERIFY2(r->redis.start(), qPrintable(r->redis.error()));
    RedisEndpoint endpoint;
    endpoint.port = r->redis.port();
    r->client = std::make_unique<RedisClient>(endpoint, timing);
    r->client->connectToServer();
    QTRY_VERIFY(r->client->isUsable());
    r->history = std::make_unique<RedisHistory>(r->client.get(), 100);
    r->notifier = std::make_unique<Notifier>(settings(), r->history.get(), Clock::system());
    r->notifier->start();
}

static PullJob finishedPull(const QString &id, PullStatus status) {
    PullJob job;
    job.id = id;
    job.status = status;
    job.stage = status == PullStatus::Completed ? PullStage::Completed : PullStage::Failed;
    return job;
}

void TestPullNotify::redisAwayQueuesUntilItIsBack() {
    RedisClient::Timing timing;
    timing.reconnectMaxMs = 300;
    RedisNotifier r;
    startOnRedis(&r, timing);
    if (QTest::currentTestFailed())
        return;
    r.redis.stop();
    QTRY_VERIFY(!r.client->isUsable());
    const PullJob job = finishedPull("image-puller-away-1", PullStatus::Completed);
    r.notifier->pullFinished(job);
    QTest::qWait(500);
    QCOMPARE(m_receiver.attempts(), 0); // not claimable yet: it waits, it is not dropped
    QVERIFY(r.redis.restart());
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.accepted().size(), 1, 10'000);
    QCOMPARE(
        QJsonDocument::fromJson(m_receiver.accepted().first().body).object()["job_id"].toString(),
        job.id);
}

// Redis stops answering while a callback is being claimed: the client gives up on the reply,
// but Redis runs the command once it resumes. The callback is still queued and delivered
// (before, the claim was taken and its queue entry never written: lost for good).
void TestPullNotify::redisStallDuringTheClaimLosesNothing() {
    RedisClient::Timing timing;
    timing.commandTimeoutMs = 100;
    timing.degradedMs = 200;
    RedisNotifier r;
    startOnRedis(&r, timing);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(::kill(pid_t(r.redis.processId()), SIGSTOP) == 0);
    const PullJob job = finishedPull("image-puller-stall-1", PullStatus::Failed);
    r.notifier->pullFinished(job);
    QTRY_VERIFY(!r.client->isUsable()); // the claim's reply did not come in time
    QVERIFY(::kill(pid_t(r.redis.processId()), SIGCONT) == 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.accepted().size(), 1, 10'000);
    QCOMPARE(
        QJsonDocument::fromJson(m_receiver.accepted().first().body).object()["job_id"].toString(),
        job.id);
    QTest::qWait(1000);
    QCOMPARE(m_receiver.attempts(), 1); // taken after the retry, and still attempted once
    QCOMPARE(r.redis.command("HLEN pullwatch:notify:queue").trimmed(), QByteArray(":0"));
}

QTEST_GUILESS_MAIN(TestPullNotify)
#include "tst_pullnotify.moc"
