#include "cachecontract.h"

#include "cache/inprocesscache.h"
#include "cache/rediscache.h"
#include "cache/redisclient.h"
#include "cache/redisendpoint.h"

#include "testclock.h"
#include "redisprocess.h"

#include <QCoreApplication>
#include <QTest>

using namespace pw::cache;

// The cache contract (CacheContract) run against every backend: the in-process cache on an
// injected clock, and the Redis cache against a real redis-server on a free port.

namespace {

class InProcessBackend : public CacheBackendFactory {
public:
    bool setUp(QString *) override { return true; }
    std::unique_ptr<Cache> create() override { return std::make_unique<InProcessCache>(&m_clock); }
    void advance(int ms) override { m_clock.advance(ms); }
    QString name() const override { return QStringLiteral("memory"); }

private:
    TestClock m_clock;
};

class RedisBackend : public CacheBackendFactory {
public:
    bool setUp(QString *error) override {
        if (!m_redis.start()) {
            *error = m_redis.error();
            return false;
        }
        RedisEndpoint endpoint;
        endpoint.port = m_redis.port();
        m_client = std::make_unique<RedisClient>(endpoint);
        m_client->connectToServer();
        if (!QTest::qWaitFor([this] { return m_client->isUsable(); }, 5000)) {
            *error = QStringLiteral("no connection to redis-server on port %1").arg(m_redis.port());
            return false;
        }
        return true;
    }
    std::unique_ptr<Cache> create() override {
        if (!m_redis.command("FLUSHDB").startsWith("+OK"))
            return nullptr;
        return std::make_unique<RedisCache>(m_client.get());
    }
    void advance(int) override {} // Redis keeps its own time: the suite waits for expiry
    QString name() const override { return QStringLiteral("redis"); }

private:
    RedisProcess m_redis;
    std::unique_ptr<RedisClient> m_client;
};

} // namespace

class TestInProcessCacheContract : public CacheContract {
    Q_OBJECT
public:
    explicit TestInProcessCacheContract(CacheBackendFactory *backend)
        : CacheContract(backend) {}
};

class TestRedisCacheContract : public CacheContract {
    Q_OBJECT
public:
    explicit TestRedisCacheContract(CacheBackendFactory *backend)
        : CacheContract(backend) {}
};

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    int failed = 0;
    {
        InProcessBackend backend;
        TestInProcessCacheContract suite(&backend);
        failed += QTest::qExec(&suite, argc, argv);
    }
    {
        RedisBackend backend;
        TestRedisCacheContract suite(&backend);
        failed += QTest::qExec(&suite, argc, argv);
    }
    return failed == 0 ? 0 : 1;
}

#include "tst_cachecontract.moc"
