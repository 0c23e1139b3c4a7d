#pragma once

#include "options.h"

#include <QObject>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

struct ServerConfig;

class ApiServer;
class KubeClient;
class KubeSim;
class Notifier;
class NotifyQueue;
class PullHistory;
class PullService;
class RedisClient;
class Cache;
class ResponseCache;

// The backend this process runs (desktop or headless): the cluster client (or the built-in
// simulated cluster with --demo), the pull service, the response cache and the API server.
class EmbeddedBackend : public QObject
{
    Q_OBJECT
public:
    explicit EmbeddedBackend(const AppOptions &options, QObject *parent = nullptr);
    ~EmbeddedBackend() override;

    bool start(QString *error);
    // Closes the listener and connections, stops watching, flushes the history.
    void stop();
    QUrl baseUrl() const;
    // The token the API enforces (given, or generated beyond loopback); empty when none.
    // The embedded window authenticates with it. Never logged.
    QString apiToken() const { return m_apiToken; }

private:
    bool startCluster(QString *error);
    bool startCache(QString *error);
    bool startNotifier(NotifyQueue *queue, QString *error);
    bool configureJwt(ServerConfig *config, QString *error) const;
    void seedDemoPulls();

    // On the demo cluster a pull stuck in ImagePullBackOff fails after this many seconds
    // (unless --pull-backoff-grace says otherwise), so its failures show at once.
    static constexpr int kDemoPullBackOffGrace = 3;

    AppOptions m_options;
    QTemporaryDir m_runtimeDir;
    std::unique_ptr<KubeSim> m_sim;
    KubeClient *m_kube = nullptr;
    RedisClient *m_redis = nullptr;
    Cache *m_sharedCache = nullptr;
    ResponseCache *m_cache = nullptr;
    PullHistory *m_history = nullptr;
    PullService *m_pulls = nullptr;
    Notifier *m_notifier = nullptr;
    std::unique_ptr<ApiServer> m_server;
    QString m_apiToken;
    bool m_stopped = false;
};
