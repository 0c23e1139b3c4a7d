#pragma once

#include "options.h"

#include <QObject>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace pw::cache { class Cache; }
namespace pw::cache { class RedisClient; }
namespace pw::cache { class ResponseCache; }
namespace pw::core { class NotifyQueue; }
namespace pw::core { class PullHistory; }
namespace pw::kube { class KubeClient; }
namespace pw::kubesim { class KubeSim; }
namespace pw::pulls { class Notifier; }
namespace pw::pulls { class PullService; }
namespace pw::server { class ApiServer; }
namespace pw::server { struct ServerConfig; }

namespace pw::app {

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
    bool startNotifier(core::NotifyQueue *queue, QString *error);
    bool configureJwt(server::ServerConfig *config, QString *error) const;
    void seedDemoPulls();

    // On the demo cluster a pull stuck in ImagePullBackOff fails after this many seconds
    // (unless --pull-backoff-grace says otherwise), so its failures show at once.
    static constexpr int kDemoPullBackOffGrace = 3;

    AppOptions m_options;
    QTemporaryDir m_runtimeDir;
    std::unique_ptr<kubesim::KubeSim> m_sim;
    kube::KubeClient *m_kube = nullptr;
    cache::RedisClient *m_redis = nullptr;
    cache::Cache *m_sharedCache = nullptr;
    cache::ResponseCache *m_cache = nullptr;
    core::PullHistory *m_history = nullptr;
    pulls::PullService *m_pulls = nullptr;
    pulls::Notifier *m_notifier = nullptr;
    std::unique_ptr<server::ApiServer> m_server;
    QString m_apiToken;
    bool m_stopped = false;
};

} // namespace pw::app
