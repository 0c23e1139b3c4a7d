#include "freeport.h"
#include "redisprocess.h"

#include <QTcpServer>
#include <QTest>

// The shared fixtures work: a free port can be bound; a real redis-server starts, answers,
// keeps data, stops and restarts on the same port.
class TestTestSupport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freePortIsBindable();
    void redisStartsAnswersAndStops();
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

QTEST_GUILESS_MAIN(TestTestSupport)
#include "tst_testsupport.moc"
