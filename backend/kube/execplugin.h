#pragma once

#include "kubeconfig.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

class QProcess;
class QTimer;

namespace pw::kube {

// What an exec credential plugin printed (ExecCredential.status).
struct ExecCredential {
    QString token;
    QByteArray clientCertificatePem;
    QByteArray clientKeyPem;
    QDateTime expiration; // invalid: does not expire

    // Parses the plugin's standard output; `apiVersion` must match the configured one.
    static core::Result<ExecCredential> parse(const QByteArray &json, const QString &apiVersion);
};

// Runs one exec credential plugin (client.authentication.k8s.io v1/v1beta1) without
// blocking the event loop: QProcess, with KUBERNETES_EXEC_INFO in its environment.
class ExecPlugin : public QObject {
    Q_OBJECT
public:
    ExecPlugin(KubeExecConfig exec, QUrl server, QByteArray caPem, QObject *parent = nullptr);
    ~ExecPlugin() override;

    bool isRunning() const { return m_process != nullptr; }
    // Starts the plugin unless it is already running; finished() follows.
    void run();
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int runCount() const { return m_runs; }

Q_SIGNALS:
    void finished(const ExecCredential &credential);
    void failed(const QString &error);

private:
    QByteArray execInfo() const;
    void onFinished();
    void fail(const QString &error);

    KubeExecConfig m_exec;
    QUrl m_server;
    QByteArray m_caPem;
    QPointer<QProcess> m_process;
    QTimer *m_timeout;
    int m_timeoutMs = 30'000;
    int m_runs = 0;
};

} // namespace pw::kube
