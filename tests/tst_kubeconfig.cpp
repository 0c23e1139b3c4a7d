#include "kube/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pw::core;
using namespace pw::kube;

// kubeconfig loading as kubectl does it: merge order, contexts, relative paths, every field,
// in-cluster, and clear errors for malformed or missing files.
class TestKubeConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void load_data();
    void load();
    void relativePathsAndFields();
    void execConfig();
    void inCluster();
    void inClusterOnlyWithoutKubeconfig();
};

namespace {

QByteArray config(const QByteArray &cluster, const QByteArray &server, const QByteArray &ctx,
                  const QByteArray &ns, const QByteArray &current, const QByteArray &token = "t") {
    QByteArray y = "apiVersion: v1\nkind: Config\nclusters:\n- name: " + cluster +
                   "\n  cluster:\n    server: " + server + "\nusers:\n- name: u-" + ctx +
                   "\n  user:\n    token: " + token + "\ncontexts:\n- name: " + ctx +
                   "\n  context:\n    cluster: " + cluster + "\n    user: u-" + ctx + "\n";
    if (!ns.isEmpty())
        y += "    namespace: " + ns + "\n";
    if (!current.isEmpty())
        y += "current-context: " + current + "\n";
    return y;
}

void write(const QString &path, const QByteArray &data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

} // namespace

void TestKubeConfig::load_data() {
    QTest::addColumn<QByteArray>("a");          // a.yaml (empty: absent)
    QTest::addColumn<QByteArray>("b");          // b.yaml (empty: absent)
    QTest::addColumn<QString>("explicitPath");  // relative to the folder
    QTest::addColumn<QString>("kubeconfigEnv"); // colon list relative to the folder
    QTest::addColumn<QByteArray>("home");       // $HOME/.kube/config (empty: absent)
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("error"); // part of the error message; empty: success

    const QByteArray a = config("c1", "https://a.example:6443", "ctx-a", "team-a", "ctx-a", "ta");
    const QByteArray b = config("c1", "https://b.example:6443", "ctx-b", "", "ctx-b", "tb");
    QTest::newRow("explicit path")
        << a << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << "https://a.example:6443"
        << "team-a"
        << "ta"
        << "";
    QTest::newRow("explicit path beats KUBECONFIG") << a << b << "b.yaml"
                                                    << "a.yaml" << QByteArray() << ""
                                                    << "https://b.example:6443"
                                                    << "default"
                                                    << "tb"
                                                    << "";
    QTest::newRow("explicit path missing")
        << a << QByteArray() << "nope.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "nope.yaml does not exist";
    QTest::newRow("KUBECONFIG first file wins") << a << b << ""
                                                << "a.yaml:b.yaml" << QByteArray() << ""
                                                << "https://a.example:6443"
                                                << "team-a"
                                                << "ta"
                                                << "";
    QTest::newRow("KUBECONFIG reversed") << a << b << ""
                                         << "b.yaml:a.yaml" << QByteArray() << ""
                                         << "https://b.example:6443"
                                         << "default"
                                         << "tb"
                                         << "";
    QTest::newRow("KUBECONFIG context from second file, cluster from first")
        << a << b << ""
        << "a.yaml:b.yaml" << QByteArray() << "ctx-b"
        << "https://a.example:6443"
        << "default"
        << "tb"
        << "";
    QTest::newRow("KUBECONFIG current-context set later")
        << config("c1", "https://a.example", "ctx-a", "", "") << b << ""
        << "a.yaml:b.yaml" << QByteArray() << ""
        << "https://a.example"
        << "default"
        << "tb"
        << "";
    QTest::newRow("KUBECONFIG missing files skipped") << a << QByteArray() << ""
                                                      << "missing.yaml:a.yaml" << QByteArray() << ""
                                                      << "https://a.example:6443"
                                                      << "team-a"
                                                      << "ta"
                                                      << "";
    QTest::newRow("KUBECONFIG beats home") << a << QByteArray() << ""
                                           << "a.yaml" << b << ""
                                           << "https://a.example:6443"
                                           << "team-a"
                                           << "ta"
                                           << "";
    QTest::newRow("home config") << QByteArray() << QByteArray() << ""
                                 << "" << b << ""
                                 << "https://b.example:6443"
                                 << "default"
                                 << "tb"
                                 << "";
    QTest::newRow("nothing anywhere") << QByteArray() << QByteArray() << ""
                                      << "" << QByteArray() << ""
                                      << ""
                                      << ""
                                      << ""
                                      << "no kubeconfig found";
    QTest::newRow("context override") << a << b << ""
                                      << "a.yaml:b.yaml" << QByteArray() << "ctx-a"
                                      << "https://a.example:6443"
                                      << "team-a"
                                      << "ta"
                                      << "";
    QTest::newRow("unknown context")
        << a << QByteArray() << "a.yaml" << QString() << QByteArray() << "nope"
        << ""
        << ""
        << ""
        << "context \"nope\" does not exist";
    QTest::newRow("no current context") << config("c1", "https://a", "x", "", "") << QByteArray()
                                        << "a.yaml" << QString() << QByteArray() << ""
                                        << ""
                                        << ""
                                        << ""
                                        << "no current-context";
    QTest::newRow("empty file") << QByteArray("\n") << QByteArray() << "a.yaml" << QString()
                                << QByteArray() << ""
                                << ""
                                << ""
                                << ""
                                << "no current-context";
    QTest::newRow("malformed YAML")
        << QByteArray("clusters: [\n - name: x\n   cluster: {server: \n") << QByteArray()
        << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "a.yaml: invalid YAML";
    QTest::newRow("malformed YAML in second file") << a << QByteArray("users: {{{") << ""
                                                   << "a.yaml:b.yaml" << QByteArray() << ""
                                                   << ""
                                                   << ""
                                                   << ""
                                                   << "b.yaml: invalid YAML";
    QTest::newRow("top level is a list")
        << QByteArray("- a\n- b\n") << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "top level must be a mapping";
    QTest::newRow("clusters is not a list") << QByteArray("clusters: 3\n") << QByteArray()
                                            << "a.yaml" << QString() << QByteArray() << ""
                                            << ""
                                            << ""
                                            << ""
                                            << "clusters must be a list";
    QTest::newRow("cluster without name")
        << QByteArray("clusters:\n- cluster: {server: https://x}\n") << QByteArray() << "a.yaml"
        << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "clusters[0].name is missing";
    QTest::newRow("server is a mapping")
        << QByteArray("clusters:\n- name: c\n  cluster: {server: {a: 1}}\n") << QByteArray()
        << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "clusters[0].cluster.server must be a string";
    QTest::newRow("bad base64")
        << QByteArray(
               config("c1", "https://a", "x", "", "x")
                   .replace("server: https://a",
                            "server: https://a\n    certificate-authority-data: '!!notbase64'"))
        << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "certificate-authority-data is not valid base64";
    QTest::newRow("bad insecure flag")
        << QByteArray(config("c1", "https://a", "x", "", "x")
                          .replace("server: https://a",
                                   "server: https://a\n    insecure-skip-tls-verify: maybe"))
        << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "must be true or false";
    QTest::newRow("missing cluster")
        << QByteArray(config("c1", "https://a", "x", "", "x").replace("cluster: c1", "cluster: c9"))
        << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "cluster \"c9\" of context \"x\" does not exist";
    QTest::newRow("missing user")
        << QByteArray(config("c1", "https://a", "x", "", "x").replace("user: u-x", "user: u-9"))
        << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "user \"u-9\" of context \"x\" does not exist";
    QTest::newRow("server not a URL") << config("c1", "ftp://a", "x", "", "x") << QByteArray()
                                      << "a.yaml" << QString() << QByteArray() << ""
                                      << ""
                                      << ""
                                      << ""
                                      << "is not an http(s) URL";
    QTest::newRow("missing CA file")
        << QByteArray(config("c1", "https://a", "x", "", "x")
                          .replace("server: https://a",
                                   "server: https://a\n    certificate-authority: nope.pem"))
        << QByteArray() << "a.yaml" << QString() << QByteArray() << ""
        << ""
        << ""
        << ""
        << "cannot read certificate-authority";
}

void TestKubeConfig::load() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(QString, explicitPath);
    QFETCH(QString, kubeconfigEnv);
    QFETCH(QByteArray, home);
    QFETCH(QString, context);
    QTemporaryDir dir;
    if (!a.isEmpty())
        write(dir.filePath("a.yaml"), a);
    if (!b.isEmpty())
        write(dir.filePath("b.yaml"), b);
    if (!home.isEmpty())
        write(dir.filePath("home/.kube/config"), home);
    KubeConfigLoadOptions options;
    options.environment = QProcessEnvironment();
    if (!kubeconfigEnv.isEmpty()) {
        QStringList files;
        for (const QString &f : kubeconfigEnv.split(u':'))
            files << dir.filePath(f);
        options.environment.insert("KUBECONFIG", files.join(u':'));
    }
    options.explicitPath = explicitPath.isEmpty() ? QString() : dir.filePath(explicitPath);
    options.homeDir = dir.filePath("home");
    options.context = context;
    const Result<KubeConfig> c = KubeConfig::load(options);
    QFETCH(QString, error);
    if (!error.isEmpty()) {
        QVERIFY(!c.ok());
        QVERIFY2(c.error().contains(error), qPrintable(c.error()));
        return;
    }
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QTEST(c->server.toString(), "server");
    QTEST(c->namespaceName, "ns");
    QTEST(c->token, "token");
}

void TestKubeConfig::relativePathsAndFields() {
    QTemporaryDir dir;
    write(dir.filePath("sub/pki/ca.pem"), "CA-PEM");
    write(dir.filePath("sub/pki/client.crt"), "CERT-PEM");
    write(dir.filePath("sub/pki/client.key"), "KEY-PEM");
    write(dir.filePath("sub/config"), R"(apiVersion: v1
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443/prefix
    certificate-authority: pki/ca.pem
    insecure-skip-tls-verify: true
    tls-server-name: kube.test
users:
- name: u
  user:
    tokenFile: tokens/t
    client-certificate: pki/client.crt
    client-key: pki/client.key
- name: data
  user:
    client-certificate-data: Q0VSVC1EQVRB
    client-key-data: S0VZLURBVEE=
    token: abc
contexts:
- name: files
  context: {cluster: c, user: u, namespace: ns1}
- name: data
  context: {cluster: c, user: data}
current-context: files
)");
    // Paths resolve against the file's own folder, not the working directory.
    auto c = KubeConfig::fromFiles({dir.filePath("sub/config")}, {}, true);
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QCOMPARE(c->caPem, QByteArray("CA-PEM"));
    QCOMPARE(c->clientCertPem, QByteArray("CERT-PEM"));
    QCOMPARE(c->clientKeyPem, QByteArray("KEY-PEM"));
    QCOMPARE(c->tokenFile, QDir::cleanPath(dir.filePath("sub/tokens/t")));
    QVERIFY(c->insecureSkipTlsVerify);
    QCOMPARE(c->tlsServerName, QString("kube.test"));
    QCOMPARE(c->namespaceName, QString("ns1"));
    QCOMPARE(c->server.path(), QString("/prefix"));
    auto d = KubeConfig::fromFiles({dir.filePath("sub/config")}, "data", true);
    QVERIFY2(d.ok(), qPrintable(d.error()));
    QCOMPARE(d->clientCertPem, QByteArray("CERT-DATA"));
    QCOMPARE(d->clientKeyPem, QByteArray("KEY-DATA"));
    QCOMPARE(d->token, QString("abc"));
    QCOMPARE(d->namespaceName, QString("default"));
    QCOMPARE(d->contextName, QString("data"));
}

void TestKubeConfig::execConfig() {
    QTemporaryDir dir;
    const QByteArray head = config("c", "https://127.0.0.1:1", "x", "", "x");
    QByteArray y = head;
    y.replace("    token: t\n", R"(    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./bin/plugin
      args: [get-token, --cluster, one]
      env:
      - name: FOO
        value: bar
      provideClusterInfo: true
)");
    write(dir.filePath("config"), y);
    auto c = KubeConfig::fromFiles({dir.filePath("config")}, {}, true);
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QVERIFY(c->exec.has_value());
    QCOMPARE(c->exec->command, QDir::cleanPath(dir.filePath("bin/plugin")));
    QCOMPARE(c->exec->args, QStringList({"get-token", "--cluster", "one"}));
    QCOMPARE(c->exec->env.size(), 1);
    QCOMPARE(c->exec->env.first().second, QString("bar"));
    QVERIFY(c->exec->provideClusterInfo);
    QByteArray bad = y;
    bad.replace("v1beta1", "v1alpha1");
    write(dir.filePath("bad"), bad);
    auto e = KubeConfig::fromFiles({dir.filePath("bad")}, {}, true);
    QVERIFY(!e.ok());
    QVERIFY2(e.error().contains("users[0].user.exec.apiVersion"), qPrintable(e.error()));
    // A bare command name is looked up in PATH, not resolved against the folder.
    QByteArray bare = y;
    bare.replace("./bin/plugin", "aws");
    write(dir.filePath("bare"), bare);
    QCOMPARE(KubeConfig::fromFiles({dir.filePath("bare")}, {}, true)->exec->command,
             QString("aws"));
}

void TestKubeConfig::inCluster() {
    QTemporaryDir dir;
    write(dir.filePath("token"), "sa-token\n");
    write(dir.filePath("ca.crt"), "CA");
    write(dir.filePath("namespace"), "pullwatch\n");
    QProcessEnvironment env;
    env.insert("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    env.insert("KUBERNETES_SERVICE_PORT", "443");
    auto c = KubeConfig::fromInCluster(env, dir.path());
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QCOMPARE(c->server.toString(), QString("https://10.96.0.1:443"));
    QCOMPARE(c->namespaceName, QString("pullwatch"));
    QCOMPARE(c->tokenFile, dir.filePath("token"));
    QCOMPARE(c->caPem, QByteArray("CA"));
    QVERIFY(c->inCluster);
    env.insert("KUBERNETES_SERVICE_HOST", "fd00::1");
    QCOMPARE(KubeConfig::fromInCluster(env, dir.path())->server.toString(),
             QString("https://[fd00::1]:443"));
    QVERIFY(!KubeConfig::fromInCluster(QProcessEnvironment(), dir.path()).ok());
    QVERIFY(KubeConfig::fromInCluster(env, dir.filePath("missing")).error().contains("token file"));
}

void TestKubeConfig::inClusterOnlyWithoutKubeconfig() {
    QTemporaryDir dir;
    write(dir.filePath("sa/token"), "t");
    write(dir.filePath("sa/ca.crt"), "CA");
    KubeConfigLoadOptions options;
    options.environment = QProcessEnvironment();
    options.environment.insert("KUBERNETES_SERVICE_HOST", "10.0.0.1");
    options.environment.insert("KUBERNETES_SERVICE_PORT", "6443");
    options.homeDir = dir.filePath("home");
    options.serviceAccountDir = dir.filePath("sa");
    auto c = KubeConfig::load(options);
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QVERIFY(c->inCluster);
    write(dir.filePath("home/.kube/config"), config("c", "https://h", "x", "", "x"));
    auto h = KubeConfig::load(options);
    QVERIFY2(h.ok(), qPrintable(h.error()));
    QVERIFY(!h->inCluster); // a kubeconfig, when there is one, wins as with kubectl
}

QTEST_GUILESS_MAIN(TestKubeConfig)
#include "tst_kubeconfig.moc"
