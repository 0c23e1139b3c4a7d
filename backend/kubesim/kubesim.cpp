#include "kubesim.h"

#include "demoworkloads.h"
#include "discovery.h"
#include "eventrecorder.h"
#include "jobcontroller.h"
#include "kubejson.h"
#include "kubesimlog.h"
#include "logapi.h"
#include "logregistry.h"
#include "objectstore.h"
#include "openapiv2.h"
#include "resourceapi.h"
#include "simtimers.h"
#include "tlsmaterial.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>
#include <QSslKey>

#include <http/httprequest.h>
#include <http/httpresponder.h>
#include <http/httpresponse.h>
#include <http/httpserver.h>

namespace pw::kubesim {

KubeSim::KubeSim(KubeSimConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_store(std::make_unique<ObjectStore>(m_config.eventHistory))
    , m_logs(std::make_unique<LogRegistry>())
    , m_events(std::make_unique<EventRecorder>(m_store.get(), 20000))
    , m_timers(std::make_unique<SimTimers>()) {
    m_ctx.store = m_store.get();
    m_ctx.timers = m_timers.get();
    m_ctx.logs = m_logs.get();
    m_ctx.events = m_events.get();
    m_ctx.scenario = Scenario::builtIn();
    m_jobs = new JobController(&m_ctx, this);
    m_resources = new ResourceApi(&m_ctx, m_jobs, this);
    m_logApi = new LogApi(&m_ctx, this);
}

KubeSim::~KubeSim() {
    stop();
    // Runners and streams refer to the context: delete them before the store goes.
    delete m_demo;
    delete m_jobs;
    delete m_resources;
    delete m_logApi;
    delete m_server;
}

bool KubeSim::start(QString *error) {
    QString localError;
    if (!error)
        error = &localError;
    if (!m_config.scenarioFile.isEmpty() && !m_ctx.scenario.load(m_config.scenarioFile, error))
        return false;
    if (m_config.timeScale > 0)
        m_ctx.scenario.timeScale = m_config.timeScale;
    m_ctx.watchCutMs = m_ctx.scenario.watchCutMs;
    m_ctx.failNextWatches = m_ctx.scenario.failNextWatches;
    m_ctx.failWatchesAsEvent = m_ctx.scenario.failWatchesAsEvent;
    m_ctx.logDropEveryLines = m_ctx.scenario.logDropEveryLines;

    m_clientCas.clear();
    if (!m_config.clientCaFile.isEmpty()) {
        m_clientCas = QSslCertificate::fromPath(m_config.clientCaFile, QSsl::Pem);
        if (m_clientCas.isEmpty()) {
            *error = QStringLiteral("no PEM certificate in client CA file %1")
                         .arg(m_config.clientCaFile);
            return false;
        }
    }
    delete m_server;
    m_server = new http::HttpServer(this);
    http::HttpLimits limits;
    limits.maxBodyBytes = 3 * 1024 * 1024; // the apiserver's request size limit
    limits.idleTimeoutMs = 300'000;
    m_server->setLimits(limits);
    m_server->setErrorResponder([](int status, const QString &message) {
        QString text = message;
        if (status == 404)
            text = QStringLiteral("the server could not find the requested resource");
        else if (status == 405)
            text =
                QStringLiteral("the server does not allow this method on the requested resource");
        return http::HttpResponse::json(status,
                                  KubeJson::status(status, KubeJson::reasonForCode(status), text));
    });
    m_server->setGate([this](const http::HttpRequest &request, http::HttpResponder &responder) {
        return !authorize(request, responder);
    });
    addRoutes();
    connect(m_server, &http::HttpServer::requestFinished, this,
            [this](const QByteArray &, const QString &, int status, qint64) {
                ++m_requests;
                if (status == 401)
                    ++m_unauthorized;
            });

    bool listening = false;
    if (m_config.tls) {
        m_tls = std::make_unique<TlsMaterial>();
        if (!m_tls->generate(m_config.issueClientCertificate, error))
            return false;
        if (m_config.issueClientCertificate)
            m_clientCas += QSslCertificate::fromData(m_tls->caPem, QSsl::Pem);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(m_tls->serverCertPem, QSsl::Pem));
        tls.setPrivateKey(QSslKey(m_tls->serverKeyPem, QSsl::Ec, QSsl::Pem));
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        tls.setCaCertificates(m_clientCas);
        // Like the apiserver (VerifyClientCertIfGiven): ask for a certificate, do not require
        // one; the gate accepts it only if it verified against the client CAs.
        tls.setPeerVerifyMode(m_clientCas.isEmpty() ? QSslSocket::VerifyNone
                                                    : QSslSocket::QueryPeer);
        listening = m_server->listenTls(m_config.address, m_config.port, tls);
    } else {
        if (!m_clientCas.isEmpty()) {
            *error = QStringLiteral("a client CA needs TLS (--tls)");
            return false;
        }
        listening = m_server->listen(m_config.address, m_config.port);
    }
    if (!listening) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_config.address.toString())
                     .arg(m_config.port)
                     .arg(m_server->errorString());
        return false;
    }
    for (const QString &ns : {QStringLiteral("default"), QStringLiteral("kube-system"),
                              QStringLiteral("kube-public"), m_config.defaultNamespace})
        createNamespace(ns);
    if ((m_config.demoWorkloads || m_config.logBenchPods > 0) && !m_demo) {
        createNamespace(QStringLiteral("demo"));
        m_demo = new DemoWorkloads(&m_ctx, QStringLiteral("demo"), this);
        if (m_config.demoWorkloads)
            m_demo->start();
        m_demo->startLogBench(m_config.logBenchPods, m_config.logBenchContainers,
                              m_config.logBenchRate);
    }
    qCInfo(lcKubeSim) << "kubesim listening on" << url().toString();
    return true;
}

void KubeSim::stop() {
    if (m_server)
        m_server->close();
}

bool KubeSim::isRunning() const {
    return m_server && m_server->isListening();
}

quint16 KubeSim::port() const {
    return m_server ? m_server->serverPort() : 0;
}

QUrl KubeSim::url() const {
    QHostAddress host = m_config.address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress(QHostAddress::LocalHost);
    QUrl url;
    url.setScheme(m_config.tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(port());
    return url;
}

QByteArray KubeSim::caCertificatePem() const {
    return m_tls ? m_tls->caPem : QByteArray();
}

QByteArray KubeSim::clientCertificatePem() const {
    return m_tls ? m_tls->clientCertPem : QByteArray();
}

QByteArray KubeSim::clientKeyPem() const {
    return m_tls ? m_tls->clientKeyPem : QByteArray();
}

bool KubeSim::createNamespace(const QString &name) {
    if (name.isEmpty() || m_store->contains(QStringLiteral("namespaces"), QString(), name))
        return false;
    QJsonObject ns{
        {QStringLiteral("kind"), QStringLiteral("Namespace")},
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("labels"),
                      QJsonObject{{QStringLiteral("kubernetes.io/metadata.name"), name}}}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("finalizers"), QJsonArray{QStringLiteral("kubernetes")}}}},
        {QStringLiteral("status"),
         QJsonObject{{QStringLiteral("phase"), QStringLiteral("Active")}}}};
    m_store->create(QStringLiteral("namespaces"), ns);
    return true;
}

void KubeSim::setWatchCutInterval(int ms) {
    m_ctx.watchCutMs = qMax(0, ms);
}
void KubeSim::setWatchLag(const QString &resource, int ms) {
    m_ctx.watchLagMs.insert(resource, qMax(0, ms));
}
void KubeSim::failNextWatches(int count, bool asErrorEvent) {
    m_ctx.failNextWatches = qMax(0, count);
    m_ctx.failWatchesAsEvent = asErrorEvent;
}
void KubeSim::setLogDropEveryLines(int lines) {
    m_ctx.logDropEveryLines = qMax(0, lines);
}
void KubeSim::setChattyRate(int linesPerSecond) {
    m_ctx.chattyRateOverride = qMax(0, linesPerSecond);
}
void KubeSim::setTimeScale(double factor) {
    m_ctx.scenario.timeScale = qMax(0.0001, factor);
}
void KubeSim::setBookmarkInterval(int ms) {
    m_ctx.scenario.bookmarkIntervalMs = qMax(10, ms);
}
int KubeSim::jobCount() const {
    return m_store->count(QStringLiteral("jobs"));
}
int KubeSim::podCount() const {
    return m_store->count(QStringLiteral("pods"));
}
quint64 KubeSim::resourceVersion() const {
    return m_store->currentVersion();
}
int KubeSim::connectionCount() const {
    return m_server ? m_server->connectionCount() : 0;
}

// Routes: discovery, OpenAPI, health, then the resource and log APIs.

void KubeSim::addRoutes() {
    http::HttpRouter &router = m_server->router();
    auto fixed = [&router](const QString &path, std::function<QByteArray()> body) {
        router.add("GET", path, [body](const http::HttpRequest &, http::HttpResponder r) {
            r.send(http::HttpResponse::json(200, body()));
        });
    };
    fixed(QStringLiteral("/api"),
          [this] { return Discovery::api(QStringLiteral("%1:%2").arg(url().host()).arg(port())); });
    fixed(QStringLiteral("/apis"), [] { return Discovery::apis(); });
    fixed(QStringLiteral("/api/v1"), [] { return Discovery::coreV1(); });
    fixed(QStringLiteral("/apis/batch/v1"), [] { return Discovery::batchV1(); });
    fixed(QStringLiteral("/apis/batch"), [] {
        const QJsonObject v1{{QStringLiteral("groupVersion"), QStringLiteral("batch/v1")},
                             {QStringLiteral("version"), QStringLiteral("v1")}};
        return KubeJson::compact({{QStringLiteral("kind"), QStringLiteral("APIGroup")},
                                  {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                  {QStringLiteral("name"), QStringLiteral("batch")},
                                  {QStringLiteral("versions"), QJsonArray{v1}},
                                  {QStringLiteral("preferredVersion"), v1}});
    });
    fixed(QStringLiteral("/version"), [] { return Discovery::version(); });
    fixed(QStringLiteral("/openapi/v3"), [] { return Discovery::openApiV3Root(); });
    router.add(
        "GET", QStringLiteral("/openapi/v3/{gv...}"), [](const http::HttpRequest &rq,
                                                         http::HttpResponder r) {
            const QByteArray doc = Discovery::openApiV3(rq.pathParam(QStringLiteral("gv")));
            if (doc.isEmpty())
                r.send(http::HttpResponse::json(
                    404, KubeJson::status(
                             404, QStringLiteral("NotFound"),
                             QStringLiteral("the server could not find the requested resource"))));
            else
                r.send(http::HttpResponse::json(200, doc));
        });
    router.add("GET", QStringLiteral("/openapi/v2"), [](const http::HttpRequest &,
                                                        http::HttpResponder r) {
        r.send(http::HttpResponse::text(200, OpenApiV2::protobufDocument(),
                                        OpenApiV2::kContentType));
    });
    for (const char *health : {"/healthz", "/livez", "/readyz"})
        router.add("GET", QLatin1String(health), [](const http::HttpRequest &,
                                                    http::HttpResponder r) {
            r.send(http::HttpResponse::text(200, "ok"));
        });
    m_resources->addRoutes(router);
    m_logApi->addRoutes(router);
}

// Authentication and authorization: the gate in front of every route.

namespace {

// What a request does to what, for the Forbidden message (as the RBAC authorizer words it).
QString forbiddenMessage(const http::HttpRequest &request) {
    const QStringList parts = request.path().split(u'/', Qt::SkipEmptyParts);
    int i = parts.value(0) == QStringLiteral("api") ? 2 : 3; // past api/v1 or apis/group/v1
    const QString group = parts.value(0) == QStringLiteral("apis") ? parts.value(1) : QString();
    QString ns;
    if (parts.value(i) == QStringLiteral("namespaces") && parts.size() > i + 2) {
        ns = parts.value(i + 1);
        i += 2;
    }
    const QString resource = parts.value(i);
    const bool named = parts.size() > i + 1;
    QString verb;
    if (request.method == "GET")
        verb = named ? QStringLiteral("get")
                     : (request.queryValue(u"watch") == QStringLiteral("true") ||
                                request.queryValue(u"watch") == QStringLiteral("1")
                            ? QStringLiteral("watch")
                            : QStringLiteral("list"));
    else if (request.method == "POST")
        verb = QStringLiteral("create");
    else if (request.method == "DELETE")
        verb = QStringLiteral("delete");
    else
        verb = QString::fromLatin1(request.method).toLower();
    QString message =
        QStringLiteral("%1 is forbidden: User \"system:serviceaccount:default:kubesim-forbidden\" "
                       "cannot %2 resource \"%3\" in API group \"%4\"")
            .arg(KubeJson::qualified(
                     resource + (parts.size() > i + 2 ? u'/' + parts.value(i + 2) : QString()),
                     group),
                 verb, resource, group);
    if (!ns.isEmpty())
        message += QStringLiteral(" in the namespace \"%1\"").arg(ns);
    return message;
}

bool isDiscovery(const QString &path) {
    static const QStringList exact = {
        QStringLiteral("/api"),        QStringLiteral("/api/v1"),        QStringLiteral("/apis"),
        QStringLiteral("/apis/batch"), QStringLiteral("/apis/batch/v1"), QStringLiteral("/version"),
        QStringLiteral("/healthz"),    QStringLiteral("/livez"),         QStringLiteral("/readyz")};
    return exact.contains(path) || path.startsWith(QStringLiteral("/openapi/"));
}

} // namespace

bool KubeSim::authorize(const http::HttpRequest &request, http::HttpResponder &responder) const {
    const bool needsAuth = !m_config.token.isEmpty() || !m_clientCas.isEmpty();
    if (!needsAuth)
        return true;
    const QByteArray authorization = request.header("authorization");
    const QByteArray bearer =
        authorization.startsWith("Bearer ") ? authorization.mid(7).trimmed() : QByteArray();
    // The token comparison need not be constant-time here: a test server on loopback.
    const bool tokenOk =
        !m_config.token.isEmpty() && !bearer.isEmpty() && bearer == m_config.token.toUtf8();
    const bool certOk = request.clientCertificateVerified && !m_clientCas.isEmpty();
    const bool forbidden = !m_config.forbiddenToken.isEmpty() && !bearer.isEmpty() &&
                           bearer == m_config.forbiddenToken.toUtf8();
    if (tokenOk || certOk)
        return true;
    if (forbidden) {
        // Authenticated, but RBAC allows it nothing beyond discovery (system:discovery).
        if (isDiscovery(request.path()))
            return true;
        responder.send(http::HttpResponse::json(
            403, KubeJson::status(403, QStringLiteral("Forbidden"), forbiddenMessage(request))));
        return false;
    }
    qCDebug(lcKubeSim) << "unauthorized request" << request.method << request.path();
    responder.send(http::HttpResponse::json(401, KubeJson::status(401,
                                                                  QStringLiteral("Unauthorized"),
                                                            QStringLiteral("Unauthorized"))));
    return false;
}

// The kubeconfig that points kubectl or our client at this server.

QByteArray KubeSim::kubeconfig() const {
    QByteArray out;
    out += "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n";
    out += "    server: " + url().toString().toUtf8() + "\n";
    if (m_config.tls)
        out += "    certificate-authority-data: " + caCertificatePem().toBase64() + "\n";
    out += "  name: kubesim\ncontexts:\n- context:\n    cluster: kubesim\n";
    out += "    namespace: " + m_config.defaultNamespace.toUtf8() + "\n";
    out += "    user: kubesim-user\n  name: kubesim\ncurrent-context: kubesim\npreferences: {}\n";
    out += "users:\n- name: kubesim-user\n  user:";
    QByteArray user;
    if (!m_config.token.isEmpty())
        user += "\n    token: " + m_config.token.toUtf8();
    if (!clientCertificatePem().isEmpty()) {
        user += "\n    client-certificate-data: " + clientCertificatePem().toBase64();
        user += "\n    client-key-data: " + clientKeyPem().toBase64();
    }
    out += user.isEmpty() ? QByteArray(" {}\n") : user + "\n";
    return out;
}

bool KubeSim::writeKubeconfig(const QString &path, QString *error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // It holds credentials: readable by the owner only.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(kubeconfig());
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace pw::kubesim
