#include "cachecontract.h"

#include <QTest>

using namespace pw::cache;

namespace {

// Longer than any wait of a test: the key never expires while the test looks at it.
constexpr int kLongTtlMs = 600'000;
// Short enough for a backend with its own clock to let it pass during the test.
constexpr int kShortTtlMs = 200;

} // namespace

void CacheContract::initTestCase() {
    QString error;
    QVERIFY2(m_backend->setUp(&error), qPrintable(error));
}

void CacheContract::init() {
    m_cache = m_backend->create();
    QVERIFY(m_cache);
    // A remote backend becomes available once connected.
    QTRY_VERIFY_WITH_TIMEOUT(m_cache->isAvailable(), 5000);
}

void CacheContract::cleanup() {
    m_cache.reset();
}

CacheLookup CacheContract::lookup(const QByteArray &key) {
    CacheLookup found;
    found.outcome = CacheLookup::Outcome::Error;
    found.error = QStringLiteral("no answer");
    int answers = 0;
    m_cache->get(key, [&](const CacheLookup &l) {
        found = l;
        ++answers;
    });
    if (!QTest::qWaitFor([&] { return answers > 0; }, 5000))
        qWarning("no answer to the lookup of %s", key.toHex().constData());
    return found;
}

void CacheContract::namedAndAvailable() {
    QCOMPARE(m_cache->backendName(), m_backend->name());
    QVERIFY(m_cache->isAvailable());
}

void CacheContract::missingKeyIsAMiss() {
    const CacheLookup l = lookup("never-set");
    QCOMPARE(l.outcome, CacheLookup::Outcome::Miss);
    QVERIFY(l.value.isEmpty());
}

void CacheContract::valuesRoundTrip_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("json") << QByteArray("[{\"job_id\":\"a\"}]");
    QTest::newRow("binary with NUL and CRLF") << QByteArray("a\0b\r\nc$3\r\n", 11);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("256 KiB") << QByteArray(256 * 1024, 'x'); // several reads of a socket
}

void CacheContract::valuesRoundTrip() {
    QFETCH(QByteArray, value);
    m_cache->set("k", value, kLongTtlMs);
    const CacheLookup l = lookup("k");
    QCOMPARE(l.outcome, CacheLookup::Outcome::Hit);
    QCOMPARE(l.value.size(), value.size());
    QVERIFY(l.value == value);
}

void CacheContract::overwriteReplacesValueAndTtl() {
    m_cache->set("k", "first", kShortTtlMs);
    m_cache->set("k", "second", kLongTtlMs);
    m_backend->advance(kShortTtlMs);
    const CacheLookup l = lookup("k");
    QCOMPARE(l.outcome, CacheLookup::Outcome::Hit);
    QCOMPARE(l.value, QByteArrayLiteral("second"));
    QVERIFY2(l.remainingTtlMs > kLongTtlMs / 2, qPrintable(QString::number(l.remainingTtlMs)));
}

void CacheContract::remainingTtlWithinTheTtl() {
    m_cache->set("k", "v", kLongTtlMs);
    const CacheLookup l = lookup("k");
    QCOMPARE(l.outcome, CacheLookup::Outcome::Hit);
    QVERIFY2(l.remainingTtlMs > 0 && l.remainingTtlMs <= kLongTtlMs,
             qPrintable(QString::number(l.remainingTtlMs)));
}

void CacheContract::expiresAfterTtl() {
    m_cache->set("short", "v", kShortTtlMs);
    m_cache->set("long", "v", kLongTtlMs);
    m_backend->advance(kShortTtlMs);
    QTRY_COMPARE_WITH_TIMEOUT(lookup("short").outcome, CacheLookup::Outcome::Miss, 5000);
    QVERIFY(lookup("short").value.isEmpty());
    // Only the key whose time is up.
    QCOMPARE(lookup("long").outcome, CacheLookup::Outcome::Hit);
}

void CacheContract::nonPositiveTtlLeavesNothingToServe_data() {
    QTest::addColumn<int>("ttlMs");
    QTest::newRow("zero") << 0;
    QTest::newRow("negative") << -1;
}

// A value whose time is already up replaces the one before it: neither is served.
void CacheContract::nonPositiveTtlLeavesNothingToServe() {
    QFETCH(int, ttlMs);
    m_cache->set("k", "old", kLongTtlMs);
    m_cache->set("k", "new", ttlMs);
    m_cache->set("fresh", "new", ttlMs);
    QCOMPARE(lookup("k").outcome, CacheLookup::Outcome::Miss);
    QCOMPARE(lookup("fresh").outcome, CacheLookup::Outcome::Miss);
}

void CacheContract::removeDropsOnlyTheGivenKeys() {
    m_cache->set("a", "1", kLongTtlMs);
    m_cache->set("b", "2", kLongTtlMs);
    m_cache->set("c", "3", kLongTtlMs);
    m_cache->remove({"a", "c", "never-set"});
    QCOMPARE(lookup("a").outcome, CacheLookup::Outcome::Miss);
    QCOMPARE(lookup("c").outcome, CacheLookup::Outcome::Miss);
    const CacheLookup b = lookup("b");
    QCOMPARE(b.outcome, CacheLookup::Outcome::Hit);
    QCOMPARE(b.value, QByteArrayLiteral("2"));
    // A removed key can be set again.
    m_cache->set("a", "again", kLongTtlMs);
    QCOMPARE(lookup("a").value, QByteArrayLiteral("again"));
}

void CacheContract::removeOfNothingIsHarmless() {
    m_cache->set("a", "1", kLongTtlMs);
    m_cache->remove({});
    QCOMPARE(lookup("a").outcome, CacheLookup::Outcome::Hit);
    QVERIFY(m_cache->isAvailable());
}

void CacheContract::keysAreBinarySafeAndDistinct() {
    const QByteArrayList keys{"k", "K", QByteArray("k\0x", 3), "k ", "image:pull:failed:50"};
    for (int i = 0; i < keys.size(); ++i)
        m_cache->set(keys[i], QByteArray::number(i), kLongTtlMs);
    for (int i = 0; i < keys.size(); ++i) {
        const CacheLookup l = lookup(keys[i]);
        QCOMPARE(l.outcome, CacheLookup::Outcome::Hit);
        QCOMPARE(l.value, QByteArray::number(i));
    }
}

// Cache::get: `done` exactly once. The answers to later lookups have come, so an extra
// answer to an earlier one would have too.
void CacheContract::everyLookupAnsweredOnce() {
    m_cache->set("hit", "v", kLongTtlMs);
    QList<int> answers(20, 0);
    for (int i = 0; i < answers.size(); ++i)
        m_cache->get(i % 2 ? QByteArray("hit") : QByteArray("miss"),
                     [&answers, i](const CacheLookup &) { ++answers[i]; });
    QTRY_VERIFY(!answers.contains(0));
    QCOMPARE(lookup("hit").outcome, CacheLookup::Outcome::Hit);
    QCOMPARE(answers, QList<int>(20, 1));
}
