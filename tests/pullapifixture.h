#pragma once

#include "clusterfixture.h"

#include "cache/rediscache.h"
#include "cache/redisclient.h"
#include "cache/responsecache.h"
#include "pulls/pullservice.h"
#include "server/apiserver.h"

#include "httpclient.h"
#include "redisprocess.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

// What the REST API suites share: the real server over HTTP on the simulated cluster, once
// with an in-process response cache and once with the cache in a real redis-server.
class PullApiFixture : public QObject {
protected:
    // From the suite's initTestCase / cleanupTestCase.
    void startServers();
    void stopServers();
    // `path` on the server with the in-process cache, or (`redis`) on the one through Redis.
    QUrl url(const QString &path, bool redis = false) const;
    static QJsonObject envelope(const HttpResult &r);
    // POST /images/pull of `names`; the job ids started.
    QStringList startPulls(const QStringList &names);

    std::unique_ptr<ClusterFixture> m_cluster;
    std::unique_ptr<pw::pulls::PullService> m_pulls;
    std::unique_ptr<pw::cache::ResponseCache> m_cache;
    std::unique_ptr<pw::server::ApiServer> m_server;
    RedisProcess m_redis;
    std::unique_ptr<pw::cache::RedisClient> m_redisClient;
    std::unique_ptr<pw::cache::RedisCache> m_redisCache;
    std::unique_ptr<pw::cache::ResponseCache> m_sharedCache;
    std::unique_ptr<pw::server::ApiServer> m_redisServer;
    HttpClient m_http;
};
