#pragma once

#include "kubeconfig.h"
#include "kubetls.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace pw::core { class Clock; }

namespace pw::kube {

class ExecPlugin;
struct ExecCredential;

// The user's credentials for one cluster: a bearer token (inline, from a token file that is
// re-read periodically and after a 401, or from an exec plugin cached until its expiry) and
// an optional client certificate. Never logs a token or a key (docs/architecture.md §6).
class KubeCredentials : public QObject {
    Q_OBJECT
public:
    KubeCredentials(const KubeConfig &config, core::Clock *clock, QObject *parent = nullptr);
    ~KubeCredentials() override;

    // Runs `then` (with an empty error) once the credentials are current: at once when they
    // are, else after the token file was read or the exec plugin ran. Never blocks.
    void withCurrent(QObject *context, std::function<void(const QString &error)> then);
    // "Bearer <token>", or empty when the user has no token.
    QByteArray authorization() const;
    KubeTls::ClientIdentity identity() const { return m_identity; }
    // Changes whenever identity() changes (the TLS configuration must be rebuilt).
    int identityGeneration() const { return m_identityGeneration; }
    // After a 401: forget the token so the next withCurrent() re-reads or re-runs. Returns
    // whether anything can be refreshed (false for a static token).
    bool invalidate();
    int execRuns() const;
    void setTokenFileRefreshMs(qint64 ms) { m_tokenFileRefreshMs = ms; }
    void setExecTimeoutMs(int ms);

private:
    bool isCurrent() const;
    QString readTokenFile();
    void onExecFinished(const ExecCredential &credential);
    void onExecFailed(const QString &error);
    void flush(const QString &error);

    struct Waiter {
        QPointer<QObject> context;
        std::function<void(const QString &)> then;
    };

    KubeConfig m_config;
    core::Clock *m_clock;
    QByteArray m_token;
    qint64 m_tokenReadAtMs = -1;
    qint64 m_tokenFileRefreshMs = 60'000;
    qint64 m_execExpiresAtMs = -1; // monotonic; -1: no cached credential; LLONG_MAX: never
    bool m_execValid = false;
    KubeTls::ClientIdentity m_identity;
    int m_identityGeneration = 0;
    ExecPlugin *m_exec = nullptr;
    QList<Waiter> m_waiters;
};

} // namespace pw::kube
