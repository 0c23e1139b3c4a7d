#include "cache/inprocesscache.h"
#include "cache/redisendpoint.h"
#include "cache/responsecache.h"

#include "testclock.h"

#include <QTest>

using namespace pw::cache;

// Cache-aside without Redis: hits, TTL, stale-while-revalidate, invalidation on change.
class TestResponseCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void inProcessExpiryAndBound();
    void missThenHit();
    void changeIsNeverServedStale();
    void staleWhileRevalidate();
    void keysAreIndependent();
    void redisEndpoint_data();
    void redisEndpoint();
};

void TestResponseCache::inProcessExpiryAndBound()
{
    TestClock clock;
    InProcessCache cache(&clock, 3);
    cache.set("a", "1", 100);
    CacheLookup seen;
    cache.get("a", [&](const CacheLookup &l) { seen = l; });
    QCOMPARE(seen.outcome, CacheLookup::Outcome::Hit);
    QCOMPARE(seen.value, QByteArrayLiteral("1"));
    QCOMPARE(seen.remainingTtlMs, 100);
    clock.advance(100);
    cache.get("a", [&](const CacheLookup &l) { seen = l; });
    QCOMPARE(seen.outcome, CacheLookup::Outcome::Miss);
    for (int i = 0; i < 10; ++i)
        cache.set(QByteArray::number(i), "x", 1000 + i);
    QCOMPARE(cache.size(), 3);
    cache.remove({"9"});
    cache.get("9", [&](const CacheLookup &l) { seen = l; });
    QCOMPARE(seen.outcome, CacheLookup::Outcome::Miss);
}

void TestResponseCache::missThenHit()
{
    TestClock clock;
    ResponseCache cache(&clock, nullptr);
    int computed = 0;
    auto origin = [&computed] { return QByteArray("v") + QByteArray::number(++computed); };
    QByteArray got;
    cache.fetch("active", "image:pull:active", 5000, origin, [&](const QByteArray &b) { got = b; });
    QCOMPARE(got, QByteArrayLiteral("v1"));
    for (int i = 0; i < 100; ++i)
        cache.fetch("active", "image:pull:active", 5000, origin, [&](const QByteArray &b) { got = b; });
    QCOMPARE(got, QByteArrayLiteral("v1"));
    QCOMPARE(computed, 1);
    const CacheFamilyStats s = cache.stats("active");
    QCOMPARE(s.misses, 1u);
    QCOMPARE(s.hits, 100u);
    QCOMPARE(cache.backendName(), QStringLiteral("memory"));
}

void TestResponseCache::changeIsNeverServedStale()
{
    TestClock clock;
    ResponseCache cache(&clock, nullptr);
    QByteArray state = "before";
    auto origin = [&state] { return state; };
    QByteArray got;
    auto deliver = [&got](const QByteArray &b) { got = b; };
    cache.fetch("active", "k", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("before"));
    state = "after";
    cache.invalidate("active");
    // Synchronously after the change, before any refresh ran: the new state.
    cache.fetch("active", "k", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("after"));
    // The key in use is recomputed right after a change, off the request path.
    state = "later";
    cache.invalidate("active");
    QTRY_COMPARE(cache.stats("active").refreshes, 1u); // coalesced: one refresh for both changes
    const quint64 missesBefore = cache.stats("active").misses;
    cache.fetch("active", "k", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("later"));
    QCOMPARE(cache.stats("active").misses, missesBefore);
}

void TestResponseCache::staleWhileRevalidate()
{
    TestClock clock;
    ResponseCache cache(&clock, nullptr);
    cache.setStaleWindowMs(1000);
    int computed = 0;
    auto origin = [&computed] { return QByteArray::number(++computed); };
    QByteArray got;
    auto deliver = [&got](const QByteArray &b) { got = b; };
    cache.fetch("failed", "f:50", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("1"));
    clock.advance(5200); // past the TTL, inside the stale window
    cache.fetch("failed", "f:50", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("1")); // answered at once, stale
    QCOMPARE(cache.stats("failed").staleHits, 1u);
    QTRY_COMPARE(computed, 2); // refreshed off the request path
    cache.fetch("failed", "f:50", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("2"));
    clock.advance(10'000); // past TTL and stale window: a plain miss
    cache.fetch("failed", "f:50", 5000, origin, deliver);
    QCOMPARE(got, QByteArrayLiteral("3"));
}

void TestResponseCache::keysAreIndependent()
{
    TestClock clock;
    ResponseCache cache(&clock, nullptr);
    QByteArray a, f;
    cache.fetch("active", "a", 5000, [] { return QByteArray("A"); }, [&](const QByteArray &b) { a = b; });
    cache.fetch("failed", "f", 5000, [] { return QByteArray("F"); }, [&](const QByteArray &b) { f = b; });
    cache.invalidate("active");
    cache.fetch("failed", "f", 5000, [] { return QByteArray("F2"); }, [&](const QByteArray &b) { f = b; });
    QCOMPARE(f, QByteArrayLiteral("F")); // another family's change does not touch it
}

void TestResponseCache::redisEndpoint_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("display");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << "redis://127.0.0.1:6380" << "127.0.0.1:6380/0" << "" << "";
    QTest::newRow("default port") << "redis://localhost" << "localhost:6379/0" << "" << "";
    QTest::newRow("password and db") << "redis://:s3cret@10.0.0.5:6379/2" << "10.0.0.5:6379/2"
                                     << "s3cret" << "";
    QTest::newRow("http") << "http://x:1" << "" << "" << "redis://";
    QTest::newRow("db out of range") << "redis://h:1/99" << "" << "" << "0..15";
    QTest::newRow("db not a number") << "redis://h:1/abc" << "" << "" << "0..15";
    QTest::newRow("garbage") << "::::" << "" << "" << "redis://";
}

void TestResponseCache::redisEndpoint()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    const auto e = RedisEndpoint::parse(url);
    if (!error.isEmpty()) {
        QVERIFY(!e.ok());
        QVERIFY2(e.error().contains(error), qPrintable(e.error()));
        return;
    }
    QVERIFY2(e.ok(), qPrintable(e.error()));
    QTEST(e->displayName(), "display");
    QTEST(e->password, "password");
    QVERIFY(!e->displayName().contains(QStringLiteral("s3cret")));
}

QTEST_GUILESS_MAIN(TestResponseCache)
#include "tst_responsecache.moc"
