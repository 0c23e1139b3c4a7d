// docs/architecture.md §6: several replicas behind one Service share their logged-out
// sessions through Redis: a cookie logged out on one replica is refused by the others, by a
// replica started later, and also when Redis was down at the moment of the logout.
#include "tst_securityraw.h"

#include "redisprocess.h"

#include "cache/redisclient.h"
#include "cache/redisrevocations.h"
#include "server/apiserver.h"

#include <QTest>

#include <memory>

using namespace pw::cache;
using namespace pw::server;

namespace {

const QByteArray kToken = "replica-token-8b3e1d7a5c9f2e4b6d0a8c1e3f5b7d9a";

struct Replica {
    std::unique_ptr<RedisClient> redis;
    std::unique_ptr<ApiServer> server;
    quint16 port() const { return server->port(); }
};

} // namespace

class TestSecurityReplicas : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void logoutHoldsOnEveryReplica();
    void replicaStartedLaterKnowsTheLogout();
    void logoutWhileRedisIsDownIsSharedLater();

private:
    Replica startReplica();
    QByteArray login(quint16 port);
    int get(quint16 port, const QByteArray &cookie);

    RedisProcess m_redis;
    Replica m_a;
    Replica m_b;
};

Replica TestSecurityReplicas::startReplica() {
    Replica r;
    RedisEndpoint endpoint;
    endpoint.port = m_redis.port();
    RedisClient::Timing timing;
    timing.reconnectMaxMs = 300;
    r.redis = std::make_unique<RedisClient>(endpoint, timing);
    r.redis->connectToServer();
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    config.sessionTtlSeconds = 3600;
    config.redis = r.redis.get();
    r.server = std::make_unique<ApiServer>(config);
    QString error;
    if (!r.server->start(&error))
        qWarning() << error;
    return r;
}

QByteArray TestSecurityReplicas::login(quint16 port) {
    const RawResponse r =
        rawRequest(port, rawHttp("POST", "/login", port, {}, "{\"token\":\"" + kToken + "\"}"));
    const QByteArray cookie = r.header("set-cookie");
    return cookie.left(cookie.indexOf(';'));
}

int TestSecurityReplicas::get(quint16 port, const QByteArray &cookie) {
    return rawRequest(port, rawHttp("GET", "/api/version", port, "Cookie: " + cookie + "\r\n"))
        .status;
}

void TestSecurityReplicas::initTestCase() {
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
    m_a = startReplica();
    m_b = startReplica();
    QTRY_VERIFY(m_a.redis->isUsable() && m_b.redis->isUsable());
}

void TestSecurityReplicas::logoutHoldsOnEveryReplica() {
    const QByteArray out = login(m_a.port());
    const QByteArray kept = login(m_a.port());
    QVERIFY(!out.isEmpty() && !kept.isEmpty());
    QCOMPARE(get(m_b.port(), out), 200); // one signing key: a session is valid everywhere
    QCOMPARE(
        rawRequest(m_a.port(), rawHttp("POST", "/logout", m_a.port(), "Cookie: " + out + "\r\n"))
            .status,
        200);
    QCOMPARE(get(m_a.port(), out), 401); // at once where it was logged out
    QTRY_COMPARE(get(m_b.port(), out), 401);
    QCOMPARE(get(m_b.port(), kept), 200);
    QCOMPARE(get(m_a.port(), kept), 200);
    // In Redis until the session would have expired, and no longer.
    const QByteArray ttl = m_redis.command("TTL " + RedisRevocations::key());
    const int seconds = ttl.mid(1).trimmed().toInt();
    QVERIFY2(seconds > 3500 && seconds <= 3600, ttl.constData());
    QCOMPARE(m_redis.command("ZCARD " + RedisRevocations::key()).trimmed(), QByteArray(":1"));
}

void TestSecurityReplicas::replicaStartedLaterKnowsTheLogout() {
    const QByteArray out = login(m_b.port());
    QCOMPARE(
        rawRequest(m_b.port(), rawHttp("POST", "/logout", m_b.port(), "Cookie: " + out + "\r\n"))
            .status,
        200);
    Replica c = startReplica();
    QTRY_COMPARE(get(c.port(), out), 401);
    QCOMPARE(get(c.port(), login(c.port())), 200);
}

void TestSecurityReplicas::logoutWhileRedisIsDownIsSharedLater() {
    const QByteArray out = login(m_a.port());
    QCOMPARE(get(m_b.port(), out), 200);
    m_redis.stop();
    QTRY_VERIFY(!m_a.redis->isUsable());
    QCOMPARE(
        rawRequest(m_a.port(), rawHttp("POST", "/logout", m_a.port(), "Cookie: " + out + "\r\n"))
            .status,
        200);
    QCOMPARE(get(m_a.port(), out), 401);
    QVERIFY(m_redis.restart());
    QTRY_VERIFY_WITH_TIMEOUT(m_a.redis->isUsable() && m_b.redis->isUsable(), 10'000);
    QTRY_COMPARE_WITH_TIMEOUT(get(m_b.port(), out), 401, 10'000);
}

QTEST_GUILESS_MAIN(TestSecurityReplicas)
#include "tst_security_replicas.moc"
