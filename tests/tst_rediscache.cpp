#include "cache/redisclient.h"
#include "cache/rediscache.h"
#include "cache/responsecache.h"

#include "core/clock.h"

#include "redisprocess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

using namespace pw::cache;
using namespace pw::core;

// The Redis backend against a real redis-server started by the fixture: keys and TTLs,
// invalidation, sharing between instances, and Redis killed, restarted or paused.
class TestRedisCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void commandsRoundTrip();
    void valuesUnderDocumentedKeysWithTtl();
    void changeDeletesSharedKey();
    void secondInstanceReadsSharedValue();
    void redisKilledAndRestarted();
    void redisPausedCostsBoundedWait();
    void absentAtStart();
    void ownStallIsNotATimeout();

private:
    std::unique_ptr<RedisClient> client(RedisClient::Timing timing = {});
    RedisProcess m_redis;
};

std::unique_ptr<RedisClient> TestRedisCache::client(RedisClient::Timing timing)
{
    RedisEndpoint e;
    e.port = m_redis.port();
    timing.reconnectMaxMs = 300;
    auto c = std::make_unique<RedisClient>(e, timing);
    c->connectToServer();
    return c;
}

void TestRedisCache::init()
{
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
}

void TestRedisCache::cleanup()
{
    m_redis.stop();
}

void TestRedisCache::commandsRoundTrip()
{
    auto c = client();
    QTRY_VERIFY(c->isUsable());
    RedisReply set, get, missing;
    int answered = 0;
    c->command({"SET", "k", QByteArray("v\0w", 3)}, [&](const RedisReply &r) { set = r; ++answered; });
    c->command({"GET", "k"}, [&](const RedisReply &r) { get = r; ++answered; });
    c->command({"GET", "nope"}, [&](const RedisReply &r) { missing = r; ++answered; });
    QTRY_COMPARE(answered, 3);
    QCOMPARE(set.type, RedisReply::Type::Status);
    QCOMPARE(get.type, RedisReply::Type::String);
    QCOMPARE(get.string, QByteArray("v\0w", 3)); // binary-safe
    QCOMPARE(missing.type, RedisReply::Type::Nil);
}

void TestRedisCache::valuesUnderDocumentedKeysWithTtl()
{
    auto c = client();
    QTRY_VERIFY(c->isUsable());
    RedisCache shared(c.get());
    ResponseCache cache(Clock::system(), &shared);
    QCOMPARE(cache.backendName(), QStringLiteral("redis"));
    QByteArray got;
    cache.fetch("active", "image:pull:active", 5000, [] { return QByteArray("[{\"job_id\":\"a\"}]"); },
                [&](const QByteArray &b) { got = b; });
    QTRY_COMPARE(got, QByteArrayLiteral("[{\"job_id\":\"a\"}]"));
    cache.fetch("failed", "image:pull:failed:50", 30'000, [] { return QByteArray("[]"); },
                [](const QByteArray &) {});
    QTRY_COMPARE(m_redis.command("GET image:pull:active"),
                 QByteArrayLiteral("$16\r\n[{\"job_id\":\"a\"}]\r\n"));
    const int pttl = m_redis.command("PTTL image:pull:active").mid(1).trimmed().toInt();
    QVERIFY2(pttl > 0 && pttl <= 5000, qPrintable(QString::number(pttl)));
    QTRY_VERIFY(m_redis.command("GET image:pull:failed:50").startsWith("$2\r\n[]"));
    const int failedTtl = m_redis.command("PTTL image:pull:failed:50").mid(1).trimmed().toInt();
    QVERIFY2(failedTtl > 5000 && failedTtl <= 30'000, qPrintable(QString::number(failedTtl)));
}

void TestRedisCache::changeDeletesSharedKey()
{
    auto c = client();
    QTRY_VERIFY(c->isUsable());
    RedisCache shared(c.get());
    ResponseCache cache(Clock::system(), &shared);
    QByteArray state = "old";
    cache.fetch("active", "image:pull:active", 5000, [&] { return state; }, [](const QByteArray &) {});
    QTRY_VERIFY(m_redis.command("GET image:pull:active").contains("old"));
    state = "new";
    cache.invalidate("active");
    QByteArray got;
    cache.fetch("active", "image:pull:active", 5000, [&] { return state; },
                [&](const QByteArray &b) { got = b; });
    QTRY_COMPARE(got, QByteArrayLiteral("new"));
    QTRY_VERIFY(m_redis.command("GET image:pull:active").contains("new"));
}

void TestRedisCache::secondInstanceReadsSharedValue()
{
    auto c1 = client();
    auto c2 = client();
    QTRY_VERIFY(c1->isUsable() && c2->isUsable());
    RedisCache shared1(c1.get()), shared2(c2.get());
    ResponseCache first(Clock::system(), &shared1), second(Clock::system(), &shared2);
    first.fetch("active", "image:pull:active", 5000, [] { return QByteArray("from-first"); },
                [](const QByteArray &) {});
    QTRY_VERIFY(m_redis.command("GET image:pull:active").contains("from-first"));
    QByteArray got;
    int computed = 0;
    for (int i = 0; i < 5; ++i)
        second.fetch("active", "image:pull:active", 5000,
                     [&] { ++computed; return QByteArray("from-second"); },
                     [&](const QByteArray &b) { got = b; });
    QTRY_COMPARE(got, QByteArrayLiteral("from-first"));
    QCOMPARE(computed, 0);
    QCOMPARE(second.stats("active").sharedHits, 5u); // one lookup in flight served all five
    QCOMPARE(second.stats("active").sharedLookups, 1u);
}

void TestRedisCache::redisKilledAndRestarted()
{
    auto c = client();
    QTRY_VERIFY(c->isUsable());
    RedisCache shared(c.get());
    ResponseCache cache(Clock::system(), &shared);
    int served = 0;
    int n = 0;
    auto ask = [&] {
        const QByteArray key = "image:pull:failed:" + QByteArray::number(++n); // never cached locally
        cache.fetch("failed", key, 30'000, [] { return QByteArray("x"); },
                    [&](const QByteArray &b) { served += b == "x"; });
    };
    ask();
    QTRY_COMPARE(served, 1);
    m_redis.stop();
    QTRY_VERIFY(!c->isUsable());
    for (int i = 0; i < 20; ++i)
        ask();
    QTRY_COMPARE(served, 21); // every request answered from the origin
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
    QTRY_VERIFY_WITH_TIMEOUT(c->isUsable(), 5000);
    const quint64 hitsBefore = cache.stats("failed").sharedHits;
    cache.fetch("failed", "image:pull:failed:shared", 30'000, [] { return QByteArray("y"); },
                [](const QByteArray &) {});
    QTRY_VERIFY(m_redis.command("GET image:pull:failed:shared").contains("y"));
    ResponseCache other(Clock::system(), &shared);
    QByteArray got;
    other.fetch("failed", "image:pull:failed:shared", 30'000, [] { return QByteArray("z"); },
                [&](const QByteArray &b) { got = b; });
    QTRY_COMPARE(got, QByteArrayLiteral("y"));
    QCOMPARE(cache.stats("failed").sharedHits, hitsBefore);
    QCOMPARE(other.stats("failed").sharedHits, 1u);
}

void TestRedisCache::redisPausedCostsBoundedWait()
{
    RedisClient::Timing timing;
    timing.commandTimeoutMs = 200;
    timing.degradedMs = 300;
    auto c = client(timing);
    QTRY_VERIFY(c->isUsable());
    RedisCache shared(c.get());
    ResponseCache cache(Clock::system(), &shared);
    // Pause Redis for 3 s without waiting for its answer.
    QTcpSocket pause;
    pause.connectToHost(QHostAddress::LocalHost, m_redis.port());
    QVERIFY(pause.waitForConnected(1000));
    pause.write("DEBUG SLEEP 3\r\n");
    QVERIFY(pause.waitForBytesWritten(1000));
    // Only go on once Redis is asleep: under load the pause may be read after our GET.
    QTRY_VERIFY(m_redis.command("PING", 100).isEmpty());
    QElapsedTimer timer;
    timer.start();
    QByteArray got;
    cache.fetch("active", "image:pull:active", 5000, [] { return QByteArray("origin"); },
                [&](const QByteArray &b) { got = b; });
    QTRY_COMPARE_WITH_TIMEOUT(got, QByteArrayLiteral("origin"), 2500);
    QVERIFY2(timer.elapsed() < 2500, "the answer waited for the paused Redis");
    QCOMPARE(c->state(), RedisClient::State::Degraded);
    QVERIFY(c->timeouts() >= 1);
    // While degraded, requests do not wait at all: straight to the origin.
    got.clear();
    cache.fetch("active", "image:pull:other", 5000, [] { return QByteArray("origin2"); },
                [&](const QByteArray &b) { got = b; });
    QCOMPARE(got, QByteArrayLiteral("origin2"));
    // Redis wakes up; the client trusts it again on its own.
    QTRY_COMPARE_WITH_TIMEOUT(c->state(), RedisClient::State::Connected, 8000);
}

void TestRedisCache::absentAtStart()
{
    m_redis.stop();
    auto c = client();
    QTRY_COMPARE(c->state(), RedisClient::State::Disconnected);
    RedisCache shared(c.get());
    ResponseCache cache(Clock::system(), &shared);
    QByteArray got;
    cache.fetch("active", "image:pull:active", 5000, [] { return QByteArray("o"); },
                [&](const QByteArray &b) { got = b; });
    QCOMPARE(got, QByteArrayLiteral("o"));
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
    QTRY_VERIFY_WITH_TIMEOUT(c->isUsable(), 5000);
    QVERIFY(c->reconnects() >= 1);
}

// This process stalls (a long handler, a loaded machine) while Redis answers in time: the
// answer waits on the socket when the deadline timer runs. It is read, not counted as a
// Redis timeout that would switch every replica-shared feature off for a while.
void TestRedisCache::ownStallIsNotATimeout()
{
    RedisClient::Timing timing;
    timing.commandTimeoutMs = 100;
    auto c = client(timing);
    QTRY_VERIFY(c->isUsable());
    for (int round = 0; round < 5; ++round) {
        RedisReply reply;
        bool answered = false;
        c->command({"PING"}, [&](const RedisReply &r) {
            reply = r;
            answered = true;
        });
        QThread::msleep(300); // the event loop does not run: Redis's PONG waits on the socket
        QTRY_VERIFY(answered);
        QCOMPARE(reply.type, RedisReply::Type::Status);
        QCOMPARE(reply.string, QByteArray("PONG"));
    }
    QCOMPARE(c->timeouts(), 0u);
    QVERIFY(c->isUsable());
}

QTEST_GUILESS_MAIN(TestRedisCache)
#include "tst_rediscache.moc"
