#pragma once

#include "kubeconfig.h"

#include <QMap>

namespace pw::kube {

// The parts of one kubeconfig file, before merging. Paths are already absolute (resolved
// against the file's folder); `*Data` fields are already base64-decoded.
namespace KubeConfigYaml {

struct Cluster {
    QString file;
    QString server;
    QString certificateAuthority;
    QByteArray certificateAuthorityData;
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
};

struct User {
    QString file;
    QString token;
    QString tokenFile;
    QString clientCertificate;
    QByteArray clientCertificateData;
    QString clientKey;
    QByteArray clientKeyData;
    std::optional<KubeExecConfig> exec;
};

struct Context {
    QString file;
    QString cluster;
    QString user;
    QString namespaceName;
};

struct Document {
    QMap<QString, Cluster> clusters;
    QMap<QString, User> users;
    QMap<QString, Context> contexts;
    QString currentContext;
};

// Parses one file's text. Errors name the file and the field.
core::Result<Document> parse(const QByteArray &yaml, const QString &filePath);
// Adds what `next` sets and `into` does not (the first file that sets a key wins).
void mergeInto(Document &into, const Document &next);

} // namespace KubeConfigYaml

} // namespace pw::kube
