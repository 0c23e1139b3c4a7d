#pragma once

#include "kubesimconfig.h"
#include "simcontext.h"

#include <QObject>
#include <QSslCertificate>
#include <QUrl>

#include <memory>

namespace pw::http { class HttpResponder; }
namespace pw::http { class HttpServer; }
namespace pw::http { struct HttpRequest; }

namespace pw::kubesim {

class DemoWorkloads;
class EventRecorder;
class JobController;
class LogApi;
class LogRegistry;
class ObjectStore;
class ResourceApi;
class TlsMaterial;

// A small Kubernetes API server (docs/architecture.md §7): discovery, OpenAPI v3 for kubectl create,
// jobs, pods, events, namespaces, watches, pod logs, Status errors, bearer-token and
// client-certificate auth, over HTTP or HTTPS. Jobs run through pod phases by scenario.
// Runs on the thread that creates it; start() returns once it listens.
//
//   KubeSimConfig config;
//   config.tls = true;
//   config.token = "secret";
//   KubeSim sim(config);
//   QString error;
//   if (!sim.start(&error)) …;
//   sim.writeKubeconfig("/tmp/kubeconfig", &error);   // kubectl --kubeconfig /tmp/kubeconfig
class KubeSim : public QObject {
    Q_OBJECT
public:
    explicit KubeSim(KubeSimConfig config = {}, QObject *parent = nullptr);
    ~KubeSim() override;

    bool start(QString *error);
    void stop();
    bool isRunning() const;
    // http(s)://127.0.0.1:PORT
    QUrl url() const;
    quint16 port() const;
    const KubeSimConfig &config() const { return m_config; }
    // The CA certificate (PEM) clients must trust under TLS; empty without TLS.
    QByteArray caCertificatePem() const;
    // The generated client certificate and key (PEM) when issueClientCertificate is set.
    QByteArray clientCertificatePem() const;
    QByteArray clientKeyPem() const;
    // A kubeconfig (mode 0600) with one cluster, user and context named "kubesim": server,
    // certificate-authority-data, and the token or client certificate this server requires.
    bool writeKubeconfig(const QString &path, QString *error) const;
    QByteArray kubeconfig() const;

    // Faults, for reliability tests (also settable from the scenario file).
    void setWatchCutInterval(int ms); // close every new watch after ms; 0 = never
    // Watches of `resource` ("pods", "jobs"…) opened from now on send each change ms late, as
    // a lagging watch cache does: separate watches then disagree about the order of changes.
    void setWatchLag(const QString &resource, int ms);
    void failNextWatches(int count, bool asErrorEvent = false); // 410 Expired
    // Cut follow log streams (no last chunk: a truncated body) at every N-th line of a log.
    void setLogDropEveryLines(int lines);
    // Lines a second of chatty containers started from now on; 0 = as fast as read.
    void setChattyRate(int linesPerSecond);
    void setTimeScale(double factor); // simulated durations × factor
    void setBookmarkInterval(int ms);
    // Changes the accepted bearer token at run time (a rotated credential: requests with the
    // old one get 401 from now on, as for an expired exec-plugin or service-account token).
    void setToken(const QString &token) { m_config.token = token; }
    // Creates a namespace (as POST /api/v1/namespaces would); false if it exists.
    bool createNamespace(const QString &name);

    // Counters.
    int openWatches() const { return m_ctx.openWatches; }
    quint64 watchesOpened() const { return m_ctx.watchesOpened; }
    // Watches opened on `resource` in `ns` with exactly this label selector (empty: none).
    quint64 watchesOpened(const QString &resource, const QString &ns,
                          const QString &labelSelector = {}) const {
        return m_ctx.watchesOpenedOn.value(SimContext::watchKey(resource, ns, labelSelector));
    }
    int openLogStreams() const { return m_ctx.openLogStreams; }
    quint64 logStreamsOpened() const { return m_ctx.logStreamsOpened; }
    int jobCount() const;
    int podCount() const;
    quint64 resourceVersion() const;
    int connectionCount() const;
    // Requests answered so far (any path, any status), and those answered 401.
    quint64 requestCount() const { return m_requests; }
    quint64 unauthorizedCount() const { return m_unauthorized; }

    // The token that authenticates but is forbidden everything (403).
    QString forbiddenToken() const { return m_config.forbiddenToken; }

private:
    bool authorize(const http::HttpRequest &request, http::HttpResponder &responder) const;
    void addRoutes();

    KubeSimConfig m_config;
    SimContext m_ctx;
    std::unique_ptr<ObjectStore> m_store;
    std::unique_ptr<LogRegistry> m_logs;
    std::unique_ptr<EventRecorder> m_events;
    std::unique_ptr<SimTimers> m_timers;
    std::unique_ptr<TlsMaterial> m_tls;
    http::HttpServer *m_server = nullptr;
    JobController *m_jobs = nullptr;
    ResourceApi *m_resources = nullptr;
    LogApi *m_logApi = nullptr;
    DemoWorkloads *m_demo = nullptr;
    QList<QSslCertificate> m_clientCas;
    quint64 m_requests = 0;
    quint64 m_unauthorized = 0;
};

} // namespace pw::kubesim
