#include "embeddedbackend.h"

#include "cache/rediscache.h"
#include "cache/redishistory.h"
#include "cache/redisclient.h"
#include "cache/responsecache.h"
#include "core/clock.h"
#include "kube/kubeclient.h"
#include "kube/kubeconfig.h"
#include "kubesim/demopulls.h"
#include "kubesim/kubesim.h"
#include "pulls/notifier.h"
#include "pulls/pullservice.h"
#include "pulls/sqlitehistory.h"
#include "server/apiserver.h"
#include "server/apitoken.h"
#include "server/jwtverifier.h"
#include "server/serverlog.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QUuid>

namespace pw::app {

EmbeddedBackend::EmbeddedBackend(const AppOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
}

EmbeddedBackend::~EmbeddedBackend()
{
    stop();
    delete m_pulls;
    delete m_history;
}

bool EmbeddedBackend::startCluster(QString *error)
{
    kube::KubeConfigLoadOptions load;
    load.explicitPath = m_options.kubeconfig;
    load.context = m_options.context;
    if (m_options.demo) {
        // The simulated cluster speaks the real API on loopback; the client is pointed at it
        // through an ordinary kubeconfig, exactly as at a real cluster.
        kubesim::KubeSimConfig config;
        config.token = QUuid::createUuid().toString(QUuid::WithoutBraces);
        config.demoWorkloads = true;
        m_sim = std::make_unique<kubesim::KubeSim>(config);
        if (!m_sim->start(error))
            return false;
        load.explicitPath = m_runtimeDir.filePath(QStringLiteral("demo-kubeconfig"));
        load.context.clear();
        if (!m_sim->writeKubeconfig(load.explicitPath, error))
            return false;
        qCInfo(server::lcServer).noquote() << "demo: simulated cluster at" << m_sim->url().toString();
    }
    const auto config = kube::KubeConfig::load(load);
    if (!config.ok()) {
        qCWarning(server::lcServer).noquote() << "no cluster is configured:" << config.error()
                                      << "(use --kubeconfig, --context or --demo)";
        return true; // the API still serves health, version and the reason in /readyz
    }
    const auto client = kube::KubeClient::create(config.value(), this);
    if (!client.ok()) {
        *error = client.error();
        return false;
    }
    m_kube = client.value();
    return true;
}

bool EmbeddedBackend::startCache(QString *error)
{
    if (!m_options.redisUrl.isEmpty()) {
        const auto endpoint = cache::RedisEndpoint::parse(m_options.redisUrl);
        if (!endpoint.ok()) {
            *error = QStringLiteral("--redis: %1").arg(endpoint.error());
            return false;
        }
        m_redis = new cache::RedisClient(endpoint.value(), this);
        m_redis->connectToServer();
        m_sharedCache = new cache::RedisCache(m_redis, this);
    }
    m_cache = new cache::ResponseCache(core::Clock::system(), m_sharedCache, this);
    return true;
}

bool EmbeddedBackend::start(QString *error)
{
    if (!startCluster(error) || !startCache(error))
        return false;
    if (m_kube) {
        pulls::PullSettings settings = m_options.pull;
        settings.namespaceName = m_options.namespaceName.isEmpty() ? m_kube->defaultNamespace()
                                                                   : m_options.namespaceName;
        if (const QString invalid = settings.validate(); !invalid.isEmpty()) {
            *error = invalid;
            return false;
        }
        core::NotifyQueue *queue = nullptr;
        if (m_redis) {
            auto *history = new cache::RedisHistory(m_redis, settings.historyLimit);
            m_history = history;
            queue = history;
        } else {
            auto *history = new pulls::SqliteHistory(QDir(m_options.dataDir).filePath(QStringLiteral("history.sqlite")),
                                              settings.historyLimit);
            m_history = history;
            queue = history;
        }
        if (m_options.demo && settings.pullBackOffGraceSeconds == pulls::PullSettings().pullBackOffGraceSeconds)
            settings.pullBackOffGraceSeconds = kDemoPullBackOffGrace; // failures show in seconds
        m_pulls = new pulls::PullService(m_kube, settings, m_history, core::Clock::system());
        if (!startNotifier(queue, error))
            return false;
        if (m_options.demo)
            seedDemoPulls();
        m_pulls->start();
    }
    server::ServerConfig config;
    config.address = m_options.listenAddress;
    config.port = m_options.listenPort;
    config.tlsCertFile = m_options.tlsCert;
    config.tlsKeyFile = m_options.tlsKey;
    if (!configureJwt(&config, error))
        return false;
    config.allowedOrigins = m_options.allowedOrigins;
    // docs/architecture.md §6: beyond loopback a token is required; one is generated when none is given.
    server::ApiToken token;
    if (!server::ApiToken::resolve({m_options.tokenFile, m_options.token, m_options.dataDir,
                            m_options.listenAddress, config.jwt != nullptr},
                           &token, error))
        return false;
    // With JWTs required on loopback too, the window of this process gets a token of its own.
    if (token.value.isEmpty() && config.jwt && !m_options.headless)
        token.value = server::ApiToken::random();
    if (!token.generatedFile.isEmpty())
        qCWarning(server::lcServer).noquote()
            << "listening beyond loopback requires an API token; it is stored in"
            << token.generatedFile << "(mode 0600): send it as 'Authorization: Bearer' or log in with it";
    config.token = token.value.toUtf8();
    if (QDir().mkpath(m_options.dataDir))
        config.revokedSessionsFile = QDir(m_options.dataDir).filePath(QStringLiteral("revoked-sessions"));
    m_apiToken = token.value;
    // docs/architecture.md §6: with Redis, a logout holds on every replica.
    config.redis = m_redis;
    if (m_options.demo)
        for (const kubesim::DemoPulls::Outcome &o : kubesim::DemoPulls::outcomes())
            config.demoOutcomes.append(QJsonObject{{QStringLiteral("keyword"), o.keyword},
                                                   {QStringLiteral("outcome"), o.outcome},
                                                   {QStringLiteral("example"), o.example}});
    m_server = std::make_unique<server::ApiServer>(config, server::ApiServices{m_pulls, m_cache,
                                                                               m_kube, {}});
    return m_server->start(error);
}

// docs/architecture.md §13: completion callbacks, queued in the history store.
bool EmbeddedBackend::startNotifier(core::NotifyQueue *queue, QString *error)
{
    if (m_options.notifyUrls.isEmpty())
        return true;
    QFile file(m_options.notifySecretFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--notify-secret-file: cannot read %1: %2")
                     .arg(m_options.notifySecretFile, file.errorString());
        return false;
    }
    pulls::NotifySettings settings;
    settings.urls = m_options.notifyUrls;
    settings.secret = file.read(64 * 1024).split('\n').first().trimmed();
    if (settings.secret.isEmpty()) {
        *error = QStringLiteral("--notify-secret-file: %1 has no key on its first line")
                     .arg(m_options.notifySecretFile);
        return false;
    }
    m_notifier = new pulls::Notifier(settings, queue, core::Clock::system(), this);
    connect(m_pulls, &pulls::PullService::pullRecorded, m_notifier, &pulls::Notifier::pullFinished);
    m_notifier->start();
    qCInfo(server::lcServer).noquote() << "completion callbacks go to" << settings.urls.size() << "URL(s)";
    return true;
}

// The demo starts with every state on screen: pulls running, completed and failed for each
// reason (DemoPulls), started once the cluster has been listed.
void EmbeddedBackend::seedDemoPulls()
{
    connect(m_pulls, &pulls::PullService::ready, this, [this] {
        m_pulls->startPulls(kubesim::DemoPulls::seedReferences(),
                            [](const QStringList &ids,
                               const std::optional<pulls::PullError> &error) {
                                if (error)
                                    qCWarning(server::lcServer).noquote()
                                        << "demo: the example pulls did not start:" << error->message;
                                else
                                    qCInfo(server::lcServer).noquote()
                                        << "demo: started" << ids.size() << "example pulls";
                            });
    }, Qt::SingleShotConnection);
}

bool EmbeddedBackend::configureJwt(server::ServerConfig *config, QString *error) const
{
    if (m_options.jwtSecretFile.isEmpty() && m_options.jwtPublicKey.isEmpty())
        return true;
    server::JwtVerifier::Settings jwt;
    jwt.issuer = m_options.jwtIssuer;
    jwt.audience = m_options.jwtAudience;
    jwt.operatorClaim = m_options.jwtOperatorClaim;
    std::shared_ptr<const server::JwtVerifier> verifier =
        server::JwtVerifier::fromFiles(m_options.jwtSecretFile, m_options.jwtPublicKey, jwt, error);
    if (!verifier)
        return false;
    qCInfo(server::lcServer).noquote() << "accepting JWTs signed with" << verifier->acceptedAlgorithms()
                               << "as 'Authorization: Bearer' or in the cookie"
                               << m_options.jwtCookie;
    config->jwt = std::move(verifier);
    config->jwtCookie = m_options.jwtCookie.toLatin1();
    return true;
}

void EmbeddedBackend::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_server)
        m_server->stop();
    if (m_pulls)
        m_pulls->stop();
    if (m_sim)
        m_sim->stop();
}

QUrl EmbeddedBackend::baseUrl() const
{
    return QUrl(m_server->baseUrl());
}

} // namespace pw::app
