#include "apiserver.h"

#include "apierror.h"
#include "apiroutes.h"
#include "authgate.h"
#include "metrics.h"
#include "pullroutes.h"
#include "serverlog.h"
#include "staticfiles.h"
#include "tlscheck.h"
#include "wsapi.h"

#include "cache/responsecache.h"
#include "kube/kubeclient.h"
#include "pulls/pullservice.h"

#include "core/envelope.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace pw::server {

namespace {

bool loadTls(const ServerConfig &config, QSslConfiguration *tls, QString *error)
{
    QFile certFile(config.tlsCertFile);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-cert: cannot read %1: %2")
                     .arg(config.tlsCertFile, certFile.errorString());
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("--tls-cert: %1 holds no PEM certificate").arg(config.tlsCertFile);
        return false;
    }
    QFile keyFile(config.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-key: cannot read %1: %2")
                     .arg(config.tlsKeyFile, keyFile.errorString());
        return false;
    }
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = QStringLiteral("--tls-key: %1 holds no PEM RSA or EC private key")
                     .arg(config.tlsKeyFile);
        return false;
    }
    *tls = QSslConfiguration::defaultConfiguration();
    tls->setLocalCertificateChain(chain);
    tls->setPrivateKey(key);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone);
    // A key that does not match the certificate stops start-up.
    return TlsCheck::verify(*tls, error);
}

} // namespace

ApiServer::ApiServer(ServerConfig config, ApiServices services, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_services(services)
    , m_metrics(new Metrics(&m_http, this))
{
    m_http.setErrorResponder(
        [](int status, const QString &message) { return ApiError::toResponse(status, message); });
    // docs/architecture.md §6: Host, Origin and authentication are decided in this one gate.
    AuthGate::Settings auth;
    auth.token = m_config.token;
    auth.clock = m_config.clock;
    auth.sessionTtlSeconds = m_config.sessionTtlSeconds;
    auth.revokedSessionsFile = m_config.revokedSessionsFile;
    auth.jwt = m_config.jwt;
    auth.jwtCookie = m_config.jwtCookie;
    auth.allowedOrigins = m_config.allowedOrigins;
    auth.redis = m_config.redis;
    auth.throttle = m_config.throttle;
    m_auth = new AuthGate(auth, this);
    m_auth->addMetrics(m_metrics);
    // Without a cluster the pull routes are still rows: they say why they cannot answer.
    if (m_services.pulls && m_services.cache)
        m_pullRoutes = new PullRoutes(m_services, m_metrics, this);
    m_ws = new WsApi(m_services, m_metrics, this);
    ApiControllers controllers;
    controllers.server = this;
    controllers.auth = m_auth;
    controllers.files = std::make_shared<const StaticFiles>();
    controllers.pulls = m_pullRoutes;
    controllers.pullCheck = m_services.pulls;
    controllers.ws = m_ws;
    m_routes = ApiRoutes::table(controllers);
    m_routes.install(m_http.router());
    m_auth->install(m_http, &m_routes);
}

ApiServer::~ApiServer() = default;

bool ApiServer::start(QString *error)
{
    const bool tlsWanted = !m_config.tlsCertFile.isEmpty() || !m_config.tlsKeyFile.isEmpty();
    bool ok = false;
    if (tlsWanted) {
        if (m_config.tlsCertFile.isEmpty() || m_config.tlsKeyFile.isEmpty()) {
            *error = QStringLiteral("--tls-cert and --tls-key must be given together");
            return false;
        }
        QSslConfiguration tls;
        if (!loadTls(m_config, &tls, error))
            return false;
        ok = m_http.listenTls(m_config.address, m_config.port, tls);
    } else {
        ok = m_http.listen(m_config.address, m_config.port);
    }
    if (!ok) {
        *error = QStringLiteral("--listen: cannot listen on %1:%2: %3")
                     .arg(m_config.address.toString())
                     .arg(m_config.port)
                     .arg(m_http.errorString());
        return false;
    }
    m_auth->setListening(address(), port(), m_http.isTls());
    qCInfo(lcServer).noquote() << "serving the API on" << baseUrl()
                               << (m_auth->authenticationRequired() ? "(authentication required)"
                                                                    : "(no token)");
    return true;
}

void ApiServer::stop()
{
    m_http.close();
}

QString ApiServer::baseUrl() const
{
    const QHostAddress a = address();
    QString host = a.toString();
    if (a.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return QStringLiteral("%1://%2:%3")
        .arg(m_http.isTls() ? QStringLiteral("https") : QStringLiteral("http"), host)
        .arg(port());
}

void ApiServer::health(const http::HttpRequest &, http::HttpResponder responder) const
{
    responder.send(http::HttpResponse::json(200, QByteArrayLiteral("{\"status\":\"ok\"}")));
}

void ApiServer::prometheus(const http::HttpRequest &, http::HttpResponder responder) const
{
    responder.send(
        http::HttpResponse::text(200, m_metrics->render(),
                                 "text/plain; version=0.0.4; charset=utf-8"));
}

void ApiServer::version(const http::HttpRequest &, http::HttpResponder responder) const
{
    QJsonObject version{{QStringLiteral("version"), QStringLiteral(PULLWATCH_VERSION)},
                        {QStringLiteral("qt"), QString::fromLatin1(qVersion())}};
    if (!m_config.demoOutcomes.isEmpty())
        version.insert(QStringLiteral("demo"),
                       QJsonObject{{QStringLiteral("outcomes"), m_config.demoOutcomes}});
    responder.send(http::HttpResponse::json(200,
                                            QJsonDocument(version).toJson(QJsonDocument::Compact)));
}

void ApiServer::readiness(const http::HttpRequest &, http::HttpResponder responder) const
{
    // Ready once the cluster has been listed; the detail says what each part is doing.
    QJsonObject checks;
    bool ready = true;
    if (m_services.pulls) {
        checks.insert(QStringLiteral("cluster_listed"), m_services.pulls->isReady());
        ready = ready && m_services.pulls->isReady();
    } else {
        checks.insert(QStringLiteral("cluster"), QStringLiteral("not configured"));
        ready = false;
    }
    if (m_services.kube)
        checks.insert(QStringLiteral("cluster_connection"),
                      kube::KubeClient::stateName(m_services.kube->state()).toLower());
    if (m_services.cache) {
        checks.insert(QStringLiteral("cache_backend"), m_services.cache->backendName());
        checks.insert(QStringLiteral("cache_backend_up"), m_services.cache->sharedAvailable());
    }
    const QJsonObject body{{QStringLiteral("status"), ready ? QStringLiteral("ready")
                                                            : QStringLiteral("not ready")},
                           {QStringLiteral("checks"), checks}};
    http::HttpResponse response =
        http::HttpResponse::json(ready ? 200 : 503, QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!ready)
        response.setHeader("Retry-After", QByteArray::number(ApiError::kRetryAfterSeconds));
    responder.send(response);
}

} // namespace pw::server
