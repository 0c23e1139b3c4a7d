#include "freeport.h"
#include "httpclient.h"
#include "pullwatchprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

// What the Debian package installs, run from the root it was extracted into
// (PULLWATCH_PACKAGE_ROOT, made by the CTest fixture installer_package). The binaries are
// started with the system's libraries only: no LD_LIBRARY_PATH, no build tree.
class TestInstaller : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void version();
    void simulatorHelp();
    void headlessWithThePackagedConfig();
    void packagedServerOnPackagedSimulator();
    void clusterStyleStartServesProbesWithoutToken();

private:
    QString root() const { return qEnvironmentVariable("PULLWATCH_PACKAGE_ROOT"); }
    QString bin(const char *name) const {
        return root() + QStringLiteral("/usr/bin/") + QLatin1String(name);
    }
    static QProcessEnvironment cleanEnvironment();
    bool startSimulator(QProcess &sim, const QString &kubeconfig);
};

QProcessEnvironment TestInstaller::cleanEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LD_LIBRARY_PATH"));
    env.remove(QStringLiteral("QT_PLUGIN_PATH"));
    return env;
}

void TestInstaller::initTestCase() {
    QVERIFY2(!root().isEmpty(), "PULLWATCH_PACKAGE_ROOT is not set (run through ctest)");
    QVERIFY2(
        QFileInfo(bin("pullwatch")).isExecutable(),
        qPrintable(bin("pullwatch") + QStringLiteral(" is missing: did installer_package run?")));
    // PullwatchProcess starts PULLWATCH_BINARY: the packaged one.
    QCOMPARE(qEnvironmentVariable("PULLWATCH_BINARY"), bin("pullwatch"));
    qunsetenv("LD_LIBRARY_PATH");
}

void TestInstaller::version() {
    QProcess p;
    p.setProcessEnvironment(cleanEnvironment());
    p.start(bin("pullwatch"), {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(10'000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const QByteArray out = p.readAllStandardOutput();
    QVERIFY2(out.startsWith("pullwatch " PULLWATCH_VERSION " (Qt 6."), out.constData());
}

void TestInstaller::simulatorHelp() {
    QProcess p;
    p.setProcessEnvironment(cleanEnvironment());
    p.start(bin("pullwatch-kubesim"), {QStringLiteral("--help")});
    QVERIFY(p.waitForFinished(10'000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().contains("--write-kubeconfig"));
}

// The service's command line with the shipped /etc/pullwatch/pullwatch.conf: the file
// parses, and the server answers /healthz on the port asked for.
void TestInstaller::headlessWithThePackagedConfig() {
    QTemporaryDir data;
    const quint16 port = FreePort::pick();
    PullwatchProcess pw;
    QVERIFY2(pw.start({QStringLiteral("--headless"), QStringLiteral("--config"),
                       root() + QStringLiteral("/etc/pullwatch/pullwatch.conf"),
                       QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                       QStringLiteral("--data-dir"), data.path()}),
             qPrintable(pw.error()));
    QCOMPARE(pw.baseUrl().port(), int(port));
    HttpClient client;
    const HttpResult health = client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, QByteArrayLiteral("{\"status\":\"ok\"}"));
    // No cluster is configured: alive, but not ready.
    const HttpResult ready = client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/readyz"))));
    QCOMPARE(ready.status, 503);
    QCOMPARE(ready.header("Retry-After"), QByteArrayLiteral("5"));
    QCOMPARE(pw.terminate(5000), 0);
}

bool TestInstaller::startSimulator(QProcess &sim, const QString &kubeconfig) {
    sim.setProcessEnvironment(cleanEnvironment());
    sim.start(bin("pullwatch-kubesim"), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                         QStringLiteral("--time-scale"), QStringLiteral("0.1"),
                                         QStringLiteral("--write-kubeconfig"), kubeconfig});
    if (!sim.waitForStarted(10'000))
        return false;
    return QTest::qWaitFor([&] { return QFileInfo(kubeconfig).size() > 0; }, 10'000);
}

// The two packaged binaries together: the server becomes ready on the packaged simulator.
void TestInstaller::packagedServerOnPackagedSimulator() {
    QTemporaryDir dir;
    const QString kubeconfig = dir.filePath(QStringLiteral("kubeconfig"));
    QProcess sim;
    QVERIFY(startSimulator(sim, kubeconfig));

    PullwatchProcess pw;
    QVERIFY2(pw.start({QStringLiteral("--headless"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--kubeconfig"), kubeconfig}),
             qPrintable(pw.error()));
    HttpClient client;
    const QUrl readyz = pw.baseUrl().resolved(QUrl(QStringLiteral("/readyz")));
    QTRY_COMPARE_WITH_TIMEOUT(client.get(readyz).status, 200, 15'000);
    QCOMPARE(client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/images/pull-active")))).status,
             200);
    QCOMPARE(pw.terminate(5000), 0);
    sim.terminate();
    QVERIFY(sim.waitForFinished(5000));
}

// As the Kubernetes Deployment runs it: on 0.0.0.0 with PULLWATCH_TOKEN. The kubelet's
// probes carry no token: /healthz and /readyz must answer them; the API must not.
void TestInstaller::clusterStyleStartServesProbesWithoutToken() {
    QTemporaryDir dir;
    const QString kubeconfig = dir.filePath(QStringLiteral("kubeconfig"));
    QProcess sim;
    QVERIFY(startSimulator(sim, kubeconfig));

    const quint16 port = FreePort::pick();
    const QByteArray token = "installer-test-token-0123456789abcdef";
    PullwatchProcess pw;
    pw.setEnvironmentValue(QStringLiteral("PULLWATCH_TOKEN"), QString::fromLatin1(token));
    QVERIFY2(
        pw.start({QStringLiteral("--headless"), QStringLiteral("--listen=0.0.0.0:%1").arg(port),
                  QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                  QStringLiteral("--kubeconfig"), kubeconfig}),
        qPrintable(pw.error()));
    const QUrl base(QStringLiteral("http://127.0.0.1:%1/").arg(port));
    HttpClient client;
    QCOMPARE(client.get(base.resolved(QUrl(QStringLiteral("/healthz")))).status, 200);
    const QUrl readyz = base.resolved(QUrl(QStringLiteral("/readyz")));
    const QList<QPair<QByteArray, QByteArray>> bearer{{"Authorization", "Bearer " + token}};
    QTRY_COMPARE_WITH_TIMEOUT(client.get(readyz, bearer).status, 200, 15'000);
    // The Deployment's readinessProbe: an httpGet cannot carry a token from a Secret.
    QCOMPARE(client.get(readyz).status, 200);
    const QUrl active = base.resolved(QUrl(QStringLiteral("/images/pull-active")));
    QCOMPARE(client.get(active).status, 401);
    QCOMPARE(client.get(active, bearer).status, 200);
    QCOMPARE(pw.terminate(5000), 0);
    sim.terminate();
    QVERIFY(sim.waitForFinished(5000));
}

QTEST_GUILESS_MAIN(TestInstaller)
#include "tst_installer.moc"
