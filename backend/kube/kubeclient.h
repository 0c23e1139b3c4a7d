#pragma once

#include "kubecall.h"
#include "kubeconfig.h"
#include "kubequery.h"

#include <QJsonObject>
#include <QNetworkRequest>
#include <QObject>
#include <QSslConfiguration>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
namespace pw::core { class Clock; }

namespace pw::kube {

class KubeCredentials;
class KubeStreamPool;

// The client of one cluster. Asynchronous on the Qt event loop: every call returns a
// KubeCall that emits finished() once. Names that go into a URL are validated first
// (docs/architecture.md §2); an invalid one fails the call without a request.
class KubeClient : public QObject {
    Q_OBJECT
public:
    enum class ConnectionState { Connecting, Connected, Reconnecting, Unauthorized, Forbidden };
    Q_ENUM(ConnectionState)

    struct Options {
        int retryInitialMs = 250;
        int retryMaxMs = 30'000;
        int maxRetries = 6;
        int requestTimeoutMs = 30'000;
        int streamsPerManager = 5;
    };

    // Checks the TLS material (CA, client certificate and key) before anything is sent.
    static core::Result<KubeClient *> create(const KubeConfig &config, QObject *parent = nullptr,
                                       core::Clock *clock = nullptr);
    ~KubeClient() override;

    const KubeConfig &config() const { return m_config; }
    QString defaultNamespace() const { return m_config.namespaceName; }
    ConnectionState state() const { return m_state; }
    QString stateDetail() const { return m_stateDetail; }
    static QString stateName(ConnectionState state);
    KubeCredentials *credentials() const { return m_credentials; }
    core::Clock *clock() const { return m_clock; }
    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }

    // Jobs (batch/v1). deleteJob uses propagationPolicy Background so its pods go too.
    KubeCall *createJob(const QString &ns, const QJsonObject &job);
    KubeCall *getJob(const QString &ns, const QString &name);
    KubeCall *listJobs(const QString &ns, const QString &labelSelector = {});
    KubeCall *deleteJob(const QString &ns, const QString &name);
    // Pods (v1).
    KubeCall *getPod(const QString &ns, const QString &name);
    KubeCall *listPods(const QString &ns, const QString &labelSelector = {});
    // Events whose involvedObject has this name (and kind, when given).
    KubeCall *listEvents(const QString &ns, const QString &involvedName,
                         const QString &involvedKind = {});
    // Any request; `path` starts with '/'.
    KubeCall *send(const QByteArray &method, const QString &path, const KubeQuery &query = {},
                   const QByteArray &body = {});

    // Collection paths: "/apis/batch/v1/namespaces/NS/jobs" ("" namespace: all namespaces).
    // Empty when a name is invalid; `error` then says why.
    static QString jobsPath(const QString &ns, QString *error);
    static QString podsPath(const QString &ns, QString *error);
    QUrl url(const QString &path, const KubeQuery &query) const;

    // Opens a long-lived GET (watch, log follow) on the stream pool once the credentials are
    // current. `opened` gets the reply (owned by the caller) or an error.
    void openStream(const QUrl &url, QObject *context,
                    std::function<void(QNetworkReply *reply, const QString &error)> opened);
    int activeStreams() const;
    int streamManagers() const;

    // Used by calls and streams to keep state() current.
    QNetworkRequest makeRequest(const QUrl &url, bool stream);
    QNetworkAccessManager *manager() const { return m_manager; }
    void noteOutcome(int httpStatus, const QString &networkError);
    void noteAuthFailure(const QString &error);
    // Informers count the watch events they apply (bookmarks and errors not counted).
    void noteWatchEvent() { ++m_watchEvents; }
    quint64 watchEvents() const { return m_watchEvents; }

Q_SIGNALS:
    void stateChanged(KubeClient::ConnectionState state, const QString &detail);

private:
    KubeClient(const KubeConfig &config, QSslConfiguration tls, core::Clock *clock,
               QObject *parent);
    void setState(ConnectionState state, const QString &detail);
    KubeCall *invalid(const QString &error);
    KubeCall *named(const QByteArray &method, const QString &collection, const QString &name,
                    const QString &field, const QString &error, const QByteArray &body = {});
    void refreshTls();

    KubeConfig m_config;
    QSslConfiguration m_tls;
    core::Clock *m_clock;
    Options m_options;
    KubeCredentials *m_credentials;
    QNetworkAccessManager *m_manager;
    KubeStreamPool *m_streams;
    int m_tlsGeneration = 0;
    ConnectionState m_state = ConnectionState::Connecting;
    quint64 m_watchEvents = 0;
    QString m_stateDetail;
};

} // namespace pw::kube
