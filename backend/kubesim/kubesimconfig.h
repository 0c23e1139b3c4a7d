#pragma once

#include <QHostAddress>
#include <QString>

namespace pw::kubesim {

// How a KubeSim starts. Every field has a default that gives a plain-HTTP, open (no auth)
// simulator on a free loopback port.
struct KubeSimConfig {
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0 = any free port
    // TLS with a CA and server certificate generated at start by the `openssl` command
    // (certificates for 127.0.0.1, ::1 and localhost, valid two days, kept in a temp dir).
    bool tls = false;
    // Bearer token every request must carry; empty = no token required (unless clientCaFile
    // or issueClientCertificate is set, in which case a verified client certificate is).
    QString token;
    // A second token that authenticates but is refused everything with 403 Forbidden.
    QString forbiddenToken = QStringLiteral("kubesim-forbidden");
    // PEM CA: clients presenting a certificate it signed are authenticated (mTLS; needs tls).
    QString clientCaFile;
    // Generate a client CA and a client certificate (CN=kubesim-admin, O=system:masters) and
    // put them into the kubeconfig instead of the token (needs tls).
    bool issueClientCertificate = false;
    // JSON scenario (see scenario.h); empty = built-in defaults.
    QString scenarioFile;
    QString defaultNamespace = QStringLiteral("default");
    // Long-running ordinary pods with steady logs in namespace "demo".
    bool demoWorkloads = false;
    // Pods that only log, for benchmarks of merged streams: logBenchPods pods labelled
    // app=log-bench in namespace "demo", each with logBenchContainers containers writing
    // logBenchRate generated lines a second (0 pods: none).
    int logBenchPods = 0;
    int logBenchContainers = 2;
    int logBenchRate = 1000;
    // Multiplies every simulated duration (0.1 = ten times faster). Overrides the scenario's.
    double timeScale = 0; // 0 = take it from the scenario (default 1.0)
    // Changes kept per resource for resuming watches; older resourceVersions get 410 Expired.
    int eventHistory = 10000;
};

} // namespace pw::kubesim
