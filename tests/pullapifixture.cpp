#include "pullapifixture.h"

#include "core/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::pulls;
using namespace pw::server;

void PullApiFixture::startServers() {
    m_cluster = std::make_unique<ClusterFixture>(0.05);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    PullSettings settings;
    settings.pullBackOffGraceSeconds = 1;
    m_pulls =
        std::make_unique<PullService>(m_cluster->client(), settings, nullptr, Clock::system());
    QSignalSpy ready(m_pulls.get(), &PullService::ready);
    m_pulls->start();
    QVERIFY(ready.wait(10'000));
    m_cache = std::make_unique<ResponseCache>(Clock::system(), nullptr);
    ServerConfig config;
    config.port = 0;
    m_server = std::make_unique<ApiServer>(
        config, ApiServices{m_pulls.get(), m_cache.get(), m_cluster->client(), {}});
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
    m_redisServer = std::make_unique<ApiServer>(
        config, ApiServices{m_pulls.get(), m_sharedCache.get(), m_cluster->client(), {}});
    QVERIFY2(m_redisServer->start(&error), qPrintable(error));
}

void PullApiFixture::stopServers() {
    m_redisServer.reset();
    m_server.reset();
    m_pulls.reset();
}

QUrl PullApiFixture::url(const QString &path, bool redis) const {
    return QUrl((redis ? m_redisServer : m_server)->baseUrl() + path);
}

QJsonObject PullApiFixture::envelope(const HttpResult &r) {
    return QJsonDocument::fromJson(r.body).object();
}

QStringList PullApiFixture::startPulls(const QStringList &names) {
    const HttpResult r = m_http.send(
        "POST", url("/images/pull"),
        QJsonDocument(QJsonObject{{"names", QJsonArray::fromStringList(names)}}).toJson());
    if (r.status != 200)
        qWarning("POST /images/pull: %d %s", r.status, r.body.constData());
    QStringList ids;
    for (const QJsonValue &v : envelope(r)["data"].toObject()["job_ids"].toArray())
        ids << v.toString();
    return ids;
}
