#include "freeport.h"
#include "redisprocess.h"
#include "testclock.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>

// The shared fixtures work: a free port can be bound; a real redis-server starts, answers,
// keeps data, stops and restarts on the same port; the test clock moves as told.
class TestTestSupport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freePortIsBindable();
    void redisStartsAnswersAndStops();
    void frozenClockMovesOnlyWhenAdvanced();
    void runningClockFollowsRealTime();
};

void TestTestSupport::freePortIsBindable()
{
    const quint16 port = FreePort::pick();
    QVERIFY(port > 0);
    QTcpServer server;
    QVERIFY2(server.listen(QHostAddress::LocalHost, port), qPrintable(server.errorString()));
}

void TestTestSupport::redisStartsAnswersAndStops()
{
    RedisProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.error()));
    QVERIFY(redis.isRunning());
    QCOMPARE(redis.command("SET pullwatch:test 42"), QByteArrayLiteral("+OK\r\n"));
    QCOMPARE(redis.command("GET pullwatch:test"), QByteArrayLiteral("$2\r\n42\r\n"));
    const quint16 port = redis.port();
    QVERIFY2(redis.restart(), qPrintable(redis.error()));
    QCOMPARE(redis.port(), port);
    // Nothing is persisted: a restart starts empty.
    QCOMPARE(redis.command("GET pullwatch:test"), QByteArrayLiteral("$-1\r\n"));
    redis.stop();
    QVERIFY(!redis.isRunning());
    QVERIFY(redis.command("PING", 300).isEmpty());
}

void TestTestSupport::frozenClockMovesOnlyWhenAdvanced()
{
    TestClock clock;
    const QDateTime start = clock.now();
    const qint64 startMs = clock.monotonicMs();
    QCOMPARE(start, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
    // Real time passes (the wait ends when it has): the clock does not.
    QElapsedTimer real;
    real.start();
    QTRY_VERIFY(real.elapsed() >= 20);
    QCOMPARE(clock.monotonicMs(), startMs);
    QCOMPARE(clock.now(), start);
    clock.advance(1500);
    QCOMPARE(clock.monotonicMs(), startMs + 1500);
    QCOMPARE(clock.now(), start.addMSecs(1500));
}

void TestTestSupport::runningClockFollowsRealTime()
{
    TestClock clock(TestClock::Mode::Running);
    const qint64 startMs = clock.monotonicMs();
    QVERIFY(qAbs(clock.now().msecsTo(QDateTime::currentDateTimeUtc())) < 60'000);
    QTRY_VERIFY(clock.monotonicMs() >= startMs + 20);
    const qint64 before = clock.monotonicMs();
    const QDateTime beforeNow = clock.now();
    clock.advance(3'600'000);
    QVERIFY(clock.monotonicMs() >= before + 3'600'000);
    QVERIFY(clock.now() >= beforeNow.addMSecs(3'600'000));
}

QTEST_GUILESS_MAIN(TestTestSupport)
#include "tst_testsupport.moc"
