#include "kubeconfig.h"

#include "kubeconfigyaml.h"

#include <QFile>
#include <QFileInfo>

namespace pw::kube {

namespace {

constexpr qint64 kMaxConfigFileBytes = 16 * 1024 * 1024;

core::Result<QByteArray> readFile(const QString &path, const QString &what) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return core::Result<QByteArray>::failure(
            QStringLiteral("cannot read %1 %2: %3").arg(what, path, f.errorString()));
    if (f.size() > kMaxConfigFileBytes)
        return core::Result<QByteArray>::failure(
            QStringLiteral("%1 %2 is larger than 16 MiB").arg(what, path));
    return f.readAll();
}

// Data wins over a file, as in client-go.
core::Result<QByteArray> dataOrFile(const QByteArray &data, const QString &file,
                                    const QString &what) {
    if (!data.isEmpty() || file.isEmpty())
        return data;
    return readFile(file, what);
}

// The user's credentials into `c`; an error message naming the file, or empty.
QString applyUser(const KubeConfigYaml::User &user, const QString &name, KubeConfig *c) {
    auto cert = dataOrFile(user.clientCertificateData, user.clientCertificate,
                           QStringLiteral("client-certificate"));
    auto key = dataOrFile(user.clientKeyData, user.clientKey, QStringLiteral("client-key"));
    if (!cert || !key)
        return user.file + QStringLiteral(": ") + (cert ? key.error() : cert.error());
    c->clientCertPem = cert.value();
    c->clientKeyPem = key.value();
    if (c->clientCertPem.isEmpty() != c->clientKeyPem.isEmpty())
        return QStringLiteral("%1: user \"%2\" has a client certificate without a key or a key "
                              "without a certificate")
            .arg(user.file, name);
    c->token = user.token;
    c->tokenFile = user.tokenFile;
    c->exec = user.exec;
    return {};
}

core::Result<KubeConfig> resolve(const KubeConfigYaml::Document &doc,
                                 const QString &contextOverride,
                           const QString &source) {
    using R = core::Result<KubeConfig>;
    const QString contextName = contextOverride.isEmpty() ? doc.currentContext : contextOverride;
    if (contextName.isEmpty())
        return R::failure(
            QStringLiteral("%1: no current-context is set and no context was given").arg(source));
    if (!doc.contexts.contains(contextName))
        return R::failure(
            QStringLiteral("%1: context \"%2\" does not exist").arg(source, contextName));
    const KubeConfigYaml::Context ctx = doc.contexts.value(contextName);
    if (!doc.clusters.contains(ctx.cluster))
        return R::failure(QStringLiteral("%1: cluster \"%2\" of context \"%3\" does not exist")
                              .arg(ctx.file, ctx.cluster, contextName));
    const KubeConfigYaml::Cluster cluster = doc.clusters.value(ctx.cluster);
    if (!ctx.user.isEmpty() && !doc.users.contains(ctx.user))
        return R::failure(QStringLiteral("%1: user \"%2\" of context \"%3\" does not exist")
                              .arg(ctx.file, ctx.user, contextName));
    const KubeConfigYaml::User user = doc.users.value(ctx.user);

    KubeConfig c;
    c.contextName = contextName;
    c.source = source;
    c.server = QUrl(cluster.server, QUrl::StrictMode);
    if (!c.server.isValid() || (c.server.scheme() != u"https" && c.server.scheme() != u"http") ||
        c.server.host().isEmpty())
        return R::failure(QStringLiteral("%1: cluster \"%2\": server \"%3\" is not an http(s) URL")
                              .arg(cluster.file, ctx.cluster, cluster.server));
    if (!ctx.namespaceName.isEmpty())
        c.namespaceName = ctx.namespaceName;
    c.insecureSkipTlsVerify = cluster.insecureSkipTlsVerify;
    c.tlsServerName = cluster.tlsServerName;
    auto ca = dataOrFile(cluster.certificateAuthorityData, cluster.certificateAuthority,
                         QStringLiteral("certificate-authority"));
    if (!ca)
        return R::failure(cluster.file + QStringLiteral(": ") + ca.error());
    c.caPem = ca.value();
    const QString userError = applyUser(user, ctx.user, &c);
    if (!userError.isEmpty())
        return R::failure(userError);
    return c;
}

} // namespace

core::Result<KubeConfig> KubeConfig::fromFiles(const QStringList &files, const QString &context,
                                         bool requireAll) {
    KubeConfigYaml::Document merged;
    QStringList used;
    for (const QString &file : files) {
        if (file.isEmpty())
            continue;
        if (!QFileInfo::exists(file)) {
            if (requireAll)
                return core::Result<KubeConfig>::failure(
                    QStringLiteral("kubeconfig %1 does not exist").arg(file));
            continue;
        }
        auto bytes = readFile(file, QStringLiteral("kubeconfig"));
        if (!bytes)
            return core::Result<KubeConfig>::failure(bytes.error());
        auto doc = KubeConfigYaml::parse(bytes.value(), QFileInfo(file).absoluteFilePath());
        if (!doc)
            return core::Result<KubeConfig>::failure(doc.error());
        KubeConfigYaml::mergeInto(merged, doc.value());
        used << file;
    }
    if (used.isEmpty())
        return core::Result<KubeConfig>::failure(QStringLiteral("no kubeconfig found (looked at %1)")
                                               .arg(files.join(QStringLiteral(", "))));
    return resolve(merged, context, used.join(u':'));
}

core::Result<KubeConfig> KubeConfig::fromInCluster(const QProcessEnvironment &env,
                                                   const QString &dir) {
    using R = core::Result<KubeConfig>;
    const QString host = env.value(QStringLiteral("KUBERNETES_SERVICE_HOST"));
    const QString port = env.value(QStringLiteral("KUBERNETES_SERVICE_PORT"));
    if (host.isEmpty() || port.isEmpty())
        return R::failure(QStringLiteral(
            "not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set"));
    KubeConfig c;
    c.inCluster = true;
    c.source = QStringLiteral("in-cluster");
    c.contextName = QStringLiteral("in-cluster");
    c.server.setScheme(QStringLiteral("https"));
    c.server.setHost(host); // QUrl brackets an IPv6 address itself
    c.server.setPort(port.toInt());
    c.tokenFile = dir + QStringLiteral("/token");
    if (!QFileInfo::exists(c.tokenFile))
        return R::failure(
            QStringLiteral("in-cluster: token file %1 does not exist").arg(c.tokenFile));
    auto ca = readFile(dir + QStringLiteral("/ca.crt"), QStringLiteral("in-cluster CA"));
    if (!ca)
        return R::failure(ca.error());
    c.caPem = ca.value();
    if (auto ns = readFile(dir + QStringLiteral("/namespace"), QStringLiteral("namespace"));
        ns && !ns.value().trimmed().isEmpty())
        c.namespaceName = QString::fromUtf8(ns.value().trimmed());
    return c;
}

core::Result<KubeConfig> KubeConfig::load(const KubeConfigLoadOptions &options) {
    if (!options.explicitPath.isEmpty())
        return fromFiles({options.explicitPath}, options.context, true);
    const QString list = options.environment.value(QStringLiteral("KUBECONFIG"));
    QStringList files = list.split(u':', Qt::SkipEmptyParts);
    if (files.isEmpty())
        files << options.homeDir + QStringLiteral("/.kube/config");
    bool anyExists = false;
    for (const QString &f : files)
        anyExists = anyExists || QFileInfo::exists(f);
    if (!anyExists && options.environment.contains(QStringLiteral("KUBERNETES_SERVICE_HOST")))
        return fromInCluster(options.environment, options.serviceAccountDir);
    return fromFiles(files, options.context, false);
}

} // namespace pw::kube
