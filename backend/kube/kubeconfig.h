#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDir>
#include <QList>
#include <QPair>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace pw::kube {

// An exec credential plugin (client.authentication.k8s.io/v1 or v1beta1).
struct KubeExecConfig {
    QString apiVersion;
    QString command; // absolute when the kubeconfig gave a relative path with a separator
    QStringList args;
    QList<QPair<QString, QString>> env;
    bool provideClusterInfo = false;
};

// Where to look for the configuration, as kubectl does. Every input is explicit so tests
// can point it anywhere.
struct KubeConfigLoadOptions {
    QString explicitPath; // --kubeconfig: must exist
    QString context;      // --context: overrides current-context
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString homeDir = QDir::homePath();
    QString serviceAccountDir = QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount");
};

// One resolved cluster + user + namespace: everything a client needs to connect. File
// contents (CA, client certificate and key) are read at load time; a token file is only
// named, since it is re-read while running.
struct KubeConfig {
    QUrl server;
    QString namespaceName = QStringLiteral("default");
    QString contextName;
    QString source; // the file(s) it came from, or "in-cluster"
    bool inCluster = false;

    QByteArray caPem; // empty: the system's CAs
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;

    QByteArray clientCertPem;
    QByteArray clientKeyPem;
    QString token;
    QString tokenFile;
    std::optional<KubeExecConfig> exec;

    // kubectl's order: explicit path, else KUBECONFIG (colon list, first file that sets a
    // key wins, missing files skipped), else ~/.kube/config; in-cluster when none of them
    // exists and KUBERNETES_SERVICE_HOST/_PORT are set.
    static core::Result<KubeConfig> load(const KubeConfigLoadOptions &options = {});
    // Merges `files` in order and resolves `context` (empty: current-context). Missing files
    // are an error when `requireAll`, skipped otherwise.
    static core::Result<KubeConfig> fromFiles(const QStringList &files, const QString &context,
                                        bool requireAll);
    // The service account mounted into a pod.
    static core::Result<KubeConfig> fromInCluster(const QProcessEnvironment &environment,
                                            const QString &serviceAccountDir);
};

} // namespace pw::kube
