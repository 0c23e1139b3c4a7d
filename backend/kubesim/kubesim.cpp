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
#include "resourceapi.h"
#include "simtimers.h"
#include "tlsmaterial.h"

#include <http/httpresponder.h>
#include <http/httpserver.h>

#include <QFile>
#include <QJsonArray>
#include <QSslKey>

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
    m_server = new HttpServer(this);
    HttpLimits limits;
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
        return HttpResponse::json(status,
                                  KubeJson::status(status, KubeJson::reasonForCode(status), text));
    });
    m_server->setGate([this](const HttpRequest &request, HttpResponder &responder) {
        return !authorize(request, responder);
    });
    addRoutes();
    connect(m_server, &HttpServer::requestFinished, this,
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
