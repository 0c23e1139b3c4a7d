#include "kubeclient.h"

#include "kubecredentials.h"
#include "kubelog.h"
#include "kubestreampool.h"
#include "kubetls.h"
#include "core/clock.h"
#include "core/dnsname.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace pw::kube {

core::Result<KubeClient *> KubeClient::create(const KubeConfig &config, QObject *parent,
                                              core::Clock *clock) {
    auto identity = KubeTls::parseIdentity(config.clientCertPem, config.clientKeyPem);
    if (!identity)
        return core::Result<KubeClient *>::failure(config.source + QStringLiteral(": ") +
                                             identity.error());
    auto tls = KubeTls::configuration(config, identity.value());
    if (!tls)
        return core::Result<KubeClient *>::failure(tls.error());
    return new KubeClient(config, tls.value(), clock ? clock : core::Clock::system(), parent);
}

KubeClient::KubeClient(const KubeConfig &config, QSslConfiguration tls, core::Clock *clock,
                       QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_tls(std::move(tls))
    , m_clock(clock)
    , m_credentials(new KubeCredentials(config, clock, this))
    , m_manager(new QNetworkAccessManager(this))
    , m_streams(new KubeStreamPool(m_options.streamsPerManager, this)) {
    m_manager->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    qCInfo(lcKube).noquote() << "cluster" << m_config.server.toString() << "context"
                             << m_config.contextName << "namespace" << m_config.namespaceName;
}

KubeClient::~KubeClient() = default;

QString KubeClient::stateName(ConnectionState state) {
    switch (state) {
    case ConnectionState::Connecting:
        return QStringLiteral("connecting");
    case ConnectionState::Connected:
        return QStringLiteral("connected");
    case ConnectionState::Reconnecting:
        return QStringLiteral("reconnecting");
    case ConnectionState::Unauthorized:
        return QStringLiteral("unauthorized");
    case ConnectionState::Forbidden:
        return QStringLiteral("forbidden");
    }
    return {};
}

void KubeClient::setState(ConnectionState state, const QString &detail) {
    if (state == m_state && detail == m_stateDetail)
        return;
    const bool changed = state != m_state;
    m_state = state;
    m_stateDetail = detail;
    if (changed)
        qCInfo(lcKube).noquote() << "cluster" << m_config.server.host() << "is now"
                                 << stateName(state) << detail;
    Q_EMIT stateChanged(state, detail);
}

void KubeClient::noteOutcome(int httpStatus, const QString &networkError) {
    if (httpStatus == 0)
        setState(ConnectionState::Reconnecting, networkError);
    else if (httpStatus == 401)
        setState(ConnectionState::Unauthorized,
                 QStringLiteral("the API server rejected the credentials"));
    else if (httpStatus == 403)
        setState(ConnectionState::Forbidden, QStringLiteral("the user lacks a permission"));
    else if (httpStatus == 502 || httpStatus == 503 || httpStatus == 504)
        setState(ConnectionState::Reconnecting,
                 QStringLiteral("the API server answered %1").arg(httpStatus));
    else
        setState(ConnectionState::Connected, {});
}

void KubeClient::noteAuthFailure(const QString &error) {
    setState(ConnectionState::Unauthorized, error);
}

void KubeClient::refreshTls() {
    if (m_credentials->identityGeneration() == m_tlsGeneration)
        return;
    m_tlsGeneration = m_credentials->identityGeneration();
    auto tls = KubeTls::configuration(m_config, m_credentials->identity());
    if (tls)
        m_tls = tls.value();
    // Connections made with the old certificate must not be reused.
    m_manager->clearConnectionCache();
    m_streams->clearConnectionCaches();
}

QNetworkRequest KubeClient::makeRequest(const QUrl &url, bool stream) {
    refreshTls();
    QNetworkRequest request(url);
    if (url.scheme() == u"https") {
        request.setSslConfiguration(m_tls);
        // tls-server-name: verify the certificate against this name instead of the host.
        if (!m_config.tlsServerName.isEmpty())
            request.setPeerVerifyName(m_config.tlsServerName);
    }
    const QByteArray auth = m_credentials->authorization();
    if (!auth.isEmpty())
        request.setRawHeader("Authorization", auth);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("pullwatch/" PULLWATCH_VERSION));
    // HTTP/1.1 only: a stream keeps its own connection (KubeStreamPool), and a request never
    // shares a connection with a stream.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!stream)
        request.setTransferTimeout(m_options.requestTimeoutMs);
    return request;
}

QUrl KubeClient::url(const QString &path, const KubeQuery &query) const {
    QUrl u = m_config.server;
    QString prefix = u.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    u.setPath(prefix + path);
    u.setQuery(query.isEmpty() ? QString() : QString::fromLatin1(query.encoded()),
               QUrl::StrictMode);
    return u;
}

QString KubeClient::jobsPath(const QString &ns, QString *error) {
    if (ns.isEmpty())
        return QStringLiteral("/apis/batch/v1/jobs");
    *error = core::DnsName::labelError(ns, u"namespace");
    return error->isEmpty() ? QStringLiteral("/apis/batch/v1/namespaces/%1/jobs").arg(ns)
                            : QString();
}

QString KubeClient::podsPath(const QString &ns, QString *error) {
    if (ns.isEmpty())
        return QStringLiteral("/api/v1/pods");
    *error = core::DnsName::labelError(ns, u"namespace");
    return error->isEmpty() ? QStringLiteral("/api/v1/namespaces/%1/pods").arg(ns) : QString();
}

KubeCall *KubeClient::send(const QByteArray &method, const QString &path, const KubeQuery &query,
                           const QByteArray &body) {
    auto *call = new KubeCall(this, method, url(path, query), body);
    call->start();
    return call;
}

KubeCall *KubeClient::invalid(const QString &error) {
    auto *call = new KubeCall(this, "GET", {}, {});
    call->failLater(KubeError::invalid(error));
    return call;
}

KubeCall *KubeClient::named(const QByteArray &method, const QString &collection,
                            const QString &name, const QString &field, const QString &error,
                            const QByteArray &body) {
    if (!error.isEmpty())
        return invalid(error);
    const QString nameError = core::DnsName::subdomainError(name, field);
    if (!nameError.isEmpty())
        return invalid(nameError);
    return send(method, collection + u'/' + name, {}, body);
}

KubeCall *KubeClient::createJob(const QString &ns, const QJsonObject &job) {
    QString error;
    const QString path = jobsPath(ns, &error);
    if (ns.isEmpty())
        error = QStringLiteral("namespace: a Job is created in a namespace");
    if (!error.isEmpty())
        return invalid(error);
    return send("POST", path, {}, QJsonDocument(job).toJson(QJsonDocument::Compact));
}

KubeCall *KubeClient::getJob(const QString &ns, const QString &name) {
    QString error;
    const QString path = jobsPath(ns.isEmpty() ? m_config.namespaceName : ns, &error);
    return named("GET", path, name, QStringLiteral("job"), error);
}

KubeCall *KubeClient::deleteJob(const QString &ns, const QString &name) {
    QString error;
    const QString path = jobsPath(ns.isEmpty() ? m_config.namespaceName : ns, &error);
    // Background propagation: the Job goes at once, its pods right after (kubectl's default
    // for jobs is orphaning them, which would leave pull pods behind).
    const QByteArray body =
        R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"})";
    return named("DELETE", path, name, QStringLiteral("job"), error, body);
}

KubeCall *KubeClient::listJobs(const QString &ns, const QString &labelSelector) {
    QString error;
    const QString path = jobsPath(ns, &error);
    if (!error.isEmpty())
        return invalid(error);
    return send("GET", path,
                KubeQuery().addIf(!labelSelector.isEmpty(), QStringLiteral("labelSelector"),
                                  labelSelector));
}

KubeCall *KubeClient::getPod(const QString &ns, const QString &name) {
    QString error;
    const QString path = podsPath(ns.isEmpty() ? m_config.namespaceName : ns, &error);
    return named("GET", path, name, QStringLiteral("pod"), error);
}

KubeCall *KubeClient::listPods(const QString &ns, const QString &labelSelector) {
    QString error;
    const QString path = podsPath(ns, &error);
    if (!error.isEmpty())
        return invalid(error);
    return send("GET", path,
                KubeQuery().addIf(!labelSelector.isEmpty(), QStringLiteral("labelSelector"),
                                  labelSelector));
}

KubeCall *KubeClient::listEvents(const QString &ns, const QString &involvedName,
                                 const QString &involvedKind) {
    QString error = core::DnsName::labelError(ns, u"namespace");
    if (error.isEmpty())
        error = core::DnsName::subdomainError(involvedName, u"involvedObject.name");
    if (!error.isEmpty())
        return invalid(error);
    QString selector = QStringLiteral("involvedObject.name=") + involvedName;
    if (!involvedKind.isEmpty())
        selector += QStringLiteral(",involvedObject.kind=") + involvedKind;
    return send("GET", QStringLiteral("/api/v1/namespaces/%1/events").arg(ns),
                KubeQuery().add(QStringLiteral("fieldSelector"), selector));
}

void KubeClient::openStream(const QUrl &url, QObject *context,
                            std::function<void(QNetworkReply *, const QString &)> opened) {
    m_credentials->withCurrent(context, [this, url, opened](const QString &error) {
        if (!error.isEmpty()) {
            noteAuthFailure(error);
            opened(nullptr, error);
            return;
        }
        opened(m_streams->get(makeRequest(url, true)), {});
    });
}

int KubeClient::activeStreams() const {
    return m_streams->activeStreams();
}

int KubeClient::streamManagers() const {
    return m_streams->managerCount();
}

} // namespace pw::kube
