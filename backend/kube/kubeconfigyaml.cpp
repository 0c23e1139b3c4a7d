#include "kubeconfigyaml.h"

#include <QFileInfo>

#include <yaml-cpp/yaml.h>

#include <string>

namespace pw::kube {

namespace KubeConfigYaml {
namespace {

// A field error that names the file and the path of the field.
struct FieldError {
    QString message;
};

class Reader {
public:
    Reader(const QString &filePath)
        : m_file(filePath)
        , m_dir(QFileInfo(filePath).absolutePath()) {}

    QString string(const YAML::Node &map, const char *key, const QString &where) const {
        const YAML::Node n = map[key];
        if (!n || n.IsNull())
            return {};
        if (!n.IsScalar())
            throw FieldError{where + u'.' + QLatin1String(key) +
                             QStringLiteral(" must be a string")};
        return QString::fromStdString(n.Scalar());
    }

    bool boolean(const YAML::Node &map, const char *key, const QString &where) const {
        const QString s = string(map, key, where).toLower();
        if (s.isEmpty() || s == u"false")
            return false;
        if (s == u"true")
            return true;
        throw FieldError{where + u'.' + QLatin1String(key) +
                         QStringLiteral(" must be true or false")};
    }

    QByteArray base64(const YAML::Node &map, const char *key, const QString &where) const {
        const QString s = string(map, key, where);
        if (s.isEmpty())
            return {};
        auto decoded = QByteArray::fromBase64Encoding(s.toLatin1().trimmed(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            throw FieldError{where + u'.' + QLatin1String(key) +
                             QStringLiteral(" is not valid base64")};
        return *decoded;
    }

    // Paths in a kubeconfig are relative to the folder of the file that holds them.
    QString path(const YAML::Node &map, const char *key, const QString &where) const {
        const QString p = string(map, key, where);
        if (p.isEmpty() || QDir::isAbsolutePath(p))
            return p;
        return QDir::cleanPath(m_dir + u'/' + p);
    }

    QString file() const { return m_file; }
    QString dir() const { return m_dir; }

private:
    QString m_file;
    QString m_dir;
};

// Iterates a `clusters:`/`users:`/`contexts:` list of {name, <inner>} entries.
template <typename Fn>
void forEachNamed(const YAML::Node &root, const char *list, const char *inner, Fn fn) {
    const YAML::Node seq = root[list];
    if (!seq || seq.IsNull())
        return;
    if (!seq.IsSequence())
        throw FieldError{QLatin1String(list) + QStringLiteral(" must be a list")};
    int index = 0;
    for (const YAML::Node &entry : seq) {
        const QString where = QLatin1String(list) + u'[' + QString::number(index++) + u']';
        if (!entry.IsMap())
            throw FieldError{where + QStringLiteral(" must be a mapping")};
        const YAML::Node name = entry["name"];
        if (!name || !name.IsScalar() || name.Scalar().empty())
            throw FieldError{where + QStringLiteral(".name is missing")};
        const YAML::Node body = entry[inner];
        if (body && !body.IsNull() && !body.IsMap())
            throw FieldError{where + u'.' + QLatin1String(inner) +
                             QStringLiteral(" must be a mapping")};
        fn(QString::fromStdString(name.Scalar()), body, where + u'.' + QLatin1String(inner));
    }
}

KubeExecConfig readExec(const Reader &r, const YAML::Node &node, const QString &where) {
    KubeExecConfig exec;
    exec.apiVersion = r.string(node, "apiVersion", where);
    exec.command = r.string(node, "command", where);
    if (exec.command.isEmpty())
        throw FieldError{where + QStringLiteral(".command is missing")};
    // client-go resolves a relative command that contains a separator against the file's folder.
    if (exec.command.contains(u'/') && QDir::isRelativePath(exec.command))
        exec.command = QDir::cleanPath(r.dir() + u'/' + exec.command);
    if (exec.apiVersion != u"client.authentication.k8s.io/v1" &&
        exec.apiVersion != u"client.authentication.k8s.io/v1beta1")
        throw FieldError{
            where +
            QStringLiteral(
                ".apiVersion must be client.authentication.k8s.io/v1 or v1beta1, not \"%1\"")
                .arg(exec.apiVersion)};
    if (const YAML::Node args = node["args"]; args && !args.IsNull()) {
        if (!args.IsSequence())
            throw FieldError{where + QStringLiteral(".args must be a list")};
        for (const YAML::Node &a : args)
            exec.args << QString::fromStdString(a.as<std::string>());
    }
    if (const YAML::Node env = node["env"]; env && !env.IsNull()) {
        if (!env.IsSequence())
            throw FieldError{where + QStringLiteral(".env must be a list")};
        for (const YAML::Node &e : env)
            exec.env.append({r.string(e, "name", where + QStringLiteral(".env")),
                             r.string(e, "value", where + QStringLiteral(".env"))});
    }
    exec.provideClusterInfo = r.boolean(node, "provideClusterInfo", where);
    return exec;
}

User readUser(const Reader &r, const YAML::Node &node, const QString &where) {
    User u;
    u.file = r.file();
    if (!node || node.IsNull())
        return u;
    u.token = r.string(node, "token", where);
    u.tokenFile = r.path(node, "tokenFile", where);
    u.clientCertificate = r.path(node, "client-certificate", where);
    u.clientCertificateData = r.base64(node, "client-certificate-data", where);
    u.clientKey = r.path(node, "client-key", where);
    u.clientKeyData = r.base64(node, "client-key-data", where);
    if (const YAML::Node exec = node["exec"]; exec && !exec.IsNull()) {
        if (!exec.IsMap())
            throw FieldError{where + QStringLiteral(".exec must be a mapping")};
        u.exec = readExec(r, exec, where + QStringLiteral(".exec"));
    }
    return u;
}

Document readDocument(const Reader &r, const YAML::Node &root) {
    Document doc;
    forEachNamed(root, "clusters", "cluster",
                 [&](const QString &name, const YAML::Node &n, const QString &where) {
                     Cluster c;
                     c.file = r.file();
                     if (n && !n.IsNull()) {
                         c.server = r.string(n, "server", where);
                         c.certificateAuthority = r.path(n, "certificate-authority", where);
                         c.certificateAuthorityData =
                             r.base64(n, "certificate-authority-data", where);
                         c.insecureSkipTlsVerify = r.boolean(n, "insecure-skip-tls-verify", where);
                         c.tlsServerName = r.string(n, "tls-server-name", where);
                     }
                     if (!doc.clusters.contains(name))
                         doc.clusters.insert(name, c);
                 });
    forEachNamed(root, "users", "user",
                 [&](const QString &name, const YAML::Node &n, const QString &where) {
                     if (!doc.users.contains(name))
                         doc.users.insert(name, readUser(r, n, where));
                 });
    forEachNamed(root, "contexts", "context",
                 [&](const QString &name, const YAML::Node &n, const QString &where) {
                     Context c;
                     c.file = r.file();
                     if (n && !n.IsNull()) {
                         c.cluster = r.string(n, "cluster", where);
                         c.user = r.string(n, "user", where);
                         c.namespaceName = r.string(n, "namespace", where);
                     }
                     if (!doc.contexts.contains(name))
                         doc.contexts.insert(name, c);
                 });
    doc.currentContext = r.string(root, "current-context", QStringLiteral("(top level)"));
    return doc;
}

} // namespace

core::Result<Document> parse(const QByteArray &yaml, const QString &filePath) {
    const Reader reader(filePath);
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root || root.IsNull())
            return Document{}; // an empty file sets nothing
        if (!root.IsMap())
            return core::Result<Document>::failure(
                QStringLiteral("%1: not a kubeconfig (the top level must be a mapping)")
                    .arg(filePath));
        return readDocument(reader, root);
    } catch (const FieldError &e) {
        return core::Result<Document>::failure(filePath + QStringLiteral(": ") + e.message);
    } catch (const YAML::Exception &e) {
        return core::Result<Document>::failure(
            QStringLiteral("%1: invalid YAML: %2").arg(filePath, QString::fromStdString(e.what())));
    }
}

void mergeInto(Document &into, const Document &next) {
    for (auto it = next.clusters.cbegin(); it != next.clusters.cend(); ++it)
        if (!into.clusters.contains(it.key()))
            into.clusters.insert(it.key(), it.value());
    for (auto it = next.users.cbegin(); it != next.users.cend(); ++it)
        if (!into.users.contains(it.key()))
            into.users.insert(it.key(), it.value());
    for (auto it = next.contexts.cbegin(); it != next.contexts.cend(); ++it)
        if (!into.contexts.contains(it.key()))
            into.contexts.insert(it.key(), it.value());
    if (into.currentContext.isEmpty())
        into.currentContext = next.currentContext;
}

} // namespace KubeConfigYaml

} // namespace pw::kube
