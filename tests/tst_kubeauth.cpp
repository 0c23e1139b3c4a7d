#include "kubefakeapi.h"
#include "kubetostring.h"
#include "testclock.h"
#include "kubetestpki.h"
#include "kubetestwait.h"
#include "kube/kubeclient.h"
#include "kube/kubecredentials.h"
#include "kube/kubetls.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace pw::kube;

// Every way to authenticate, over TLS against the fake API server: token, token file
// (re-read after a 401), client certificates with RSA PKCS#1, EC and PKCS#8 keys, CA data
// and file, insecure-skip-tls-verify, tls-server-name, exec plugins v1 and v1beta1 (expiry
// caching, re-run on 401), and the states a wrong token and a forbidden answer leave.
class TestKubeAuth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void parseKeys_data();
    void parseKeys();
    void token();
    void wrongTokenIsUnauthorized();
    void forbiddenIsForbidden();
    void tokenFileReReadAfter401();
    void clientCertificate_data();
    void clientCertificate();
    void certificateAuthorityFileAndData_data();
    void certificateAuthorityFileAndData();
    void unknownCaFails();
    void insecureSkipTlsVerify();
    void tlsServerName_data();
    void tlsServerName();
    void execPlugin_data();
    void execPlugin();
    void execPluginClientCertificate();
    void execPluginFailureIsUnauthorized();
    void execPluginTimeout();

private:
    KubeConfig baseConfig() const;
    KubeClient *client(const KubeConfig &config);
    QString writeExecScript(const QString &body);

    KubeTestPki m_pki;
    std::unique_ptr<KubeFakeApi> m_api;
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<TestClock> m_clock;
};

void TestKubeAuth::initTestCase() {
    QVERIFY2(m_pki.create(), qPrintable(m_pki.error()));
}

void TestKubeAuth::init() {
    m_api = std::make_unique<KubeFakeApi>();
    m_tmp = std::make_unique<QTemporaryDir>();
    m_clock = std::make_unique<TestClock>(TestClock::Mode::Running);
    m_api->addJob("default", "job-1", {{"app", "x"}});
}

void TestKubeAuth::cleanup() {
    m_api.reset();
}

KubeConfig TestKubeAuth::baseConfig() const {
    KubeConfig c;
    c.server = QUrl(m_api->serverUrl());
    c.caPem = m_pki.read("ca.crt");
    c.source = "test";
    return c;
}

KubeClient *TestKubeAuth::client(const KubeConfig &config) {
    auto c = KubeClient::create(config, m_api.get(), m_clock.get());
    if (!c.ok())
        qWarning() << c.error();
    if (!c.ok())
        return nullptr;
    KubeClient::Options o;
    o.maxRetries = 0;
    c.value()->setOptions(o);
    return c.value();
}

void TestKubeAuth::parseKeys_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("algorithm");
    QTest::newRow("RSA PKCS#1") << "client-rsa.key" << int(QSsl::Rsa);
    QTest::newRow("EC SEC1") << "client-ec.key" << int(QSsl::Ec);
    QTest::newRow("PKCS#8 RSA") << "client-pk8.key" << int(QSsl::Rsa);
    QTest::newRow("PKCS#8 EC") << "client-pk8ec.key" << int(QSsl::Ec);
}

void TestKubeAuth::parseKeys() {
    QFETCH(QString, file);
    const auto key = KubeTls::parseKey(m_pki.read(file));
    QVERIFY2(key.ok(), qPrintable(key.error()));
    QTEST(int(key->algorithm()), "algorithm");
    QVERIFY(
        !KubeTls::parseKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
    QVERIFY(KubeTls::parseKey("garbage").error().contains("no PEM private key"));
    KubeConfig bad = baseConfig();
    bad.clientCertPem = m_pki.read("client-rsa.crt");
    bad.clientKeyPem =
        "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n";
    QVERIFY(KubeClient::create(bad).error().contains("client key"));
}

void TestKubeAuth::token() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    m_api->tokens = {"s3cret"};
    KubeConfig c = baseConfig();
    c.token = "s3cret";
    KubeClient *k = client(c);
    QSignalSpy states(k, &KubeClient::stateChanged);
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(r.json()["items"].toArray().size(), 1);
    QCOMPARE(k->state(), KubeClient::ConnectionState::Connected);
    QCOMPARE(states.count(), 1);
}

void TestKubeAuth::wrongTokenIsUnauthorized() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    m_api->tokens = {"right"};
    KubeConfig c = baseConfig();
    c.token = "wrong";
    KubeClient *k = client(c);
    const KubeOutcome r = kubeWait(k->getJob("default", "job-1"));
    QVERIFY(r.done);
    QCOMPARE(r.error.code, 401);
    QCOMPARE(r.error.reason, QString("Unauthorized"));
    QCOMPARE(k->state(), KubeClient::ConnectionState::Unauthorized);
    QCOMPARE(m_api->unauthorizedCount, 1); // a static token is not retried
}

void TestKubeAuth::forbiddenIsForbidden() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    m_api->forbiddenTokens = {"limited"};
    KubeConfig c = baseConfig();
    c.token = "limited";
    KubeClient *k = client(c);
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QCOMPARE(r.error.code, 403);
    QVERIFY(r.error.message.contains("cannot list resource"));
    QCOMPARE(k->state(), KubeClient::ConnectionState::Forbidden);
}

void TestKubeAuth::tokenFileReReadAfter401() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    const QString file = m_tmp->filePath("token");
    auto writeToken = [&](const QByteArray &t) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(t + "\n");
    };
    writeToken("first");
    m_api->tokens = {"first"};
    KubeConfig c = baseConfig();
    c.tokenFile = file;
    KubeClient *k = client(c);
    QVERIFY(kubeWait(k->listJobs("default")).ok());
    // The token is rotated (as the kubelet does for projected service-account tokens).
    writeToken("second");
    m_api->tokens = {"second"};
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(m_api->unauthorizedCount, 1);
    // And periodically, without a 401.
    writeToken("third");
    m_api->tokens = {"second", "third"};
    m_clock->advance(61'000);
    QVERIFY(kubeWait(k->listJobs("default")).ok());
    QCOMPARE(k->credentials()->authorization(), QByteArray("Bearer third"));
}

void TestKubeAuth::clientCertificate_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ok");
    QTest::newRow("RSA PKCS#1") << "client-rsa" << true;
    QTest::newRow("EC SEC1") << "client-ec" << true;
    QTest::newRow("PKCS#8 RSA") << "client-pk8" << true;
    QTest::newRow("PKCS#8 EC") << "client-pk8ec" << true;
    QTest::newRow("no certificate") << "" << false;
}

void TestKubeAuth::clientCertificate() {
    QFETCH(QString, name);
    QFETCH(bool, ok);
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(true))); // handshake needs a client cert
    KubeConfig c = baseConfig();
    if (!name.isEmpty()) {
        // Through a kubeconfig with file paths, as users write them.
        QFile::copy(m_pki.path(name + ".crt"), m_tmp->filePath("c.crt"));
        QFile::copy(m_pki.path(name + ".key"), m_tmp->filePath("c.key"));
        c.clientCertPem = m_pki.read(name + ".crt");
        c.clientKeyPem = m_pki.read(name + ".key");
    }
    KubeClient *k = client(c);
    QVERIFY(k);
    const KubeOutcome r = kubeWait(k->getJob("default", "job-1"));
    QVERIFY(r.done);
    QCOMPARE(r.ok(), ok);
    if (ok)
        QCOMPARE(r.json()["metadata"]["name"].toString(), QString("job-1"));
    else
        QCOMPARE(r.error.kind, KubeError::Kind::Network);
}

void TestKubeAuth::certificateAuthorityFileAndData_data() {
    QTest::addColumn<bool>("inlineData");
    QTest::newRow("certificate-authority file") << false;
    QTest::newRow("certificate-authority-data") << true;
}

void TestKubeAuth::certificateAuthorityFileAndData() {
    QFETCH(bool, inlineData);
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    QByteArray yaml =
        "clusters:\n- name: c\n  cluster:\n    server: " + m_api->serverUrl().toUtf8() + "\n";
    if (inlineData)
        yaml += "    certificate-authority-data: " + m_pki.read("ca.crt").toBase64() + "\n";
    else
        yaml += "    certificate-authority: " + m_pki.path("ca.crt").toUtf8() + "\n";
    yaml += "users:\n- name: u\n  user:\n    client-certificate: " +
            m_pki.path("client-ec.crt").toUtf8() +
            "\n    client-key-data: " + m_pki.read("client-ec.key").toBase64() +
            "\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";
    QFile f(m_tmp->filePath("config"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(yaml);
    f.close();
    auto config = KubeConfig::fromFiles({f.fileName()}, {}, true);
    QVERIFY2(config.ok(), qPrintable(config.error()));
    KubeClient *k = client(config.value());
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
}

void TestKubeAuth::unknownCaFails() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    KubeConfig c = baseConfig();
    c.caPem.clear(); // the system store does not know the test CA
    KubeClient *k = client(c);
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QCOMPARE(r.error.kind, KubeError::Kind::Network);
    QCOMPARE(k->state(), KubeClient::ConnectionState::Reconnecting);
}

void TestKubeAuth::insecureSkipTlsVerify() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    KubeConfig c = baseConfig();
    c.caPem.clear();
    c.insecureSkipTlsVerify = true;
    const KubeOutcome r = kubeWait(client(c)->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
}

void TestKubeAuth::tlsServerName_data() {
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<bool>("ok");
    QTest::newRow("IP in the certificate") << "127.0.0.1"
                                           << "" << true;
    QTest::newRow("name not in the certificate") << "localhost"
                                                 << "" << false;
    QTest::newRow("tls-server-name rescues it") << "localhost"
                                                << "kube.test" << true;
    QTest::newRow("wrong tls-server-name") << "127.0.0.1"
                                           << "other.test" << false;
}

void TestKubeAuth::tlsServerName() {
    QFETCH(QString, host);
    QFETCH(QString, serverName);
    QFETCH(bool, ok);
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    KubeConfig c = baseConfig();
    c.server.setHost(host);
    c.tlsServerName = serverName;
    const KubeOutcome r = kubeWait(client(c)->listJobs("default"));
    QVERIFY(r.done);
    QCOMPARE(r.ok(), ok);
}

QString TestKubeAuth::writeExecScript(const QString &body) {
    const QString path = m_tmp->filePath("plugin.sh");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write("#!/bin/sh\nset -e\nn=$(( $(cat \"$DIR/count\" 2>/dev/null || echo 0) + 1 ))\necho $n "
            "> \"$DIR/count\"\n"
            "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$DIR/info\"\n");
    f.write(body.toUtf8());
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

void TestKubeAuth::execPlugin_data() {
    QTest::addColumn<QString>("apiVersion");
    QTest::newRow("v1") << "client.authentication.k8s.io/v1";
    QTest::newRow("v1beta1") << "client.authentication.k8s.io/v1beta1";
}

void TestKubeAuth::execPlugin() {
    QFETCH(QString, apiVersion);
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    m_api->tokens = {"exec-1"};
    KubeConfig c = baseConfig();
    KubeExecConfig exec;
    exec.apiVersion = apiVersion;
    exec.command = writeExecScript(
        "sleep 0.2\nexp=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)\n"
        "printf "
        "'{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"exec-%s\","
        "\"expirationTimestamp\":\"%s\"}}' \"$APIV\" \"$n\" \"$exp\"\n");
    exec.env = {{"DIR", m_tmp->path()}, {"APIV", apiVersion}};
    exec.provideClusterInfo = true;
    c.exec = exec;
    KubeClient *k = client(c);
    // The plugin runs in its own process: the event loop keeps turning meanwhile.
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
    ticker.start(10);
    KubeOutcome r = kubeWait(k->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
    QVERIFY(kubeWait(k->listJobs("default")).ok());
    QCOMPARE(k->credentials()->execRuns(), 1); // cached until its expiry
    QFile info(m_tmp->filePath("info"));
    QVERIFY(info.open(QIODevice::ReadOnly));
    const QJsonObject spec = QJsonDocument::fromJson(info.readAll())["spec"].toObject();
    QCOMPARE(spec["interactive"].toBool(true), false);
    QCOMPARE(spec["cluster"]["server"].toString(), m_api->serverUrl());
    // Past the expiry it runs again.
    m_api->tokens = {"exec-1", "exec-2"};
    m_clock->advance(2 * 3600 * 1000);
    QVERIFY(kubeWait(k->listJobs("default")).ok());
    QCOMPARE(k->credentials()->execRuns(), 2);
    // The server stops accepting the token: a 401 re-runs the plugin once.
    m_api->tokens = {"exec-3"};
    r = kubeWait(k->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(k->credentials()->execRuns(), 3);
    QCOMPARE(k->state(), KubeClient::ConnectionState::Connected);
}

void TestKubeAuth::execPluginClientCertificate() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(true)));
    KubeConfig c = baseConfig();
    KubeExecConfig exec;
    exec.apiVersion = "client.authentication.k8s.io/v1";
    exec.command =
        writeExecScript("esc() { awk '{printf \"%s\\\\n\", $0}' \"$1\"; }\n"
                        "printf "
                        "'{\"apiVersion\":\"client.authentication.k8s.io/"
                        "v1\",\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":\"%"
                        "s\",\"clientKeyData\":\"%s\"}}' \"$(esc $PKI/client-pk8.crt)\" \"$(esc "
                        "$PKI/client-pk8.key)\"\n");
    exec.env = {{"DIR", m_tmp->path()}, {"PKI", m_pki.dir()}};
    c.exec = exec;
    const KubeOutcome r = kubeWait(client(c)->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
}

void TestKubeAuth::execPluginFailureIsUnauthorized() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    KubeConfig c = baseConfig();
    KubeExecConfig exec;
    exec.apiVersion = "client.authentication.k8s.io/v1";
    exec.command = writeExecScript("echo 'login required' >&2\nexit 3\n");
    exec.env = {{"DIR", m_tmp->path()}};
    c.exec = exec;
    KubeClient *k = client(c);
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QCOMPARE(r.error.kind, KubeError::Kind::Auth);
    QVERIFY2(r.error.message.contains("exited with 3: login required"),
             qPrintable(r.error.message));
    QCOMPARE(k->state(), KubeClient::ConnectionState::Unauthorized);
    QVERIFY(m_api->requests.isEmpty()); // nothing was sent without a credential
}

void TestKubeAuth::execPluginTimeout() {
    QVERIFY(m_api->listenTls(m_pki.serverConfiguration(false)));
    KubeConfig c = baseConfig();
    KubeExecConfig exec;
    exec.apiVersion = "client.authentication.k8s.io/v1";
    exec.command = writeExecScript("exec sleep 30\n"); // waits for a login that never comes
    exec.env = {{"DIR", m_tmp->path()}};
    c.exec = exec;
    KubeClient *k = client(c);
    k->credentials()->setExecTimeoutMs(300);
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QCOMPARE(r.error.kind, KubeError::Kind::Auth);
    QVERIFY2(r.error.message.contains("did not finish in 300 ms"), qPrintable(r.error.message));
}

QTEST_MAIN(TestKubeAuth)
#include "tst_kubeauth.moc"
