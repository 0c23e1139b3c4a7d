// The pullwatch-kubesim executable: its listening line, kubeconfig, options, clean stop.
#include "kubesimtestsupport.h"

#include <QProcess>
#include <QtTest>

#include <csignal>

using namespace KubeSimTest;

class TestKubeSimExe : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void servesAndStopsOnSigterm() {
        QTemporaryDir dir;
        const QString kubeconfig = dir.filePath(QStringLiteral("config"));
        QProcess sim;
        sim.start(QStringLiteral(KUBESIM_BINARY),
                  {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                   QStringLiteral("--token"), QStringLiteral("tok"),
                   QStringLiteral("--demo-workloads"), QStringLiteral("--write-kubeconfig"),
                   kubeconfig});
        QVERIFY(sim.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(sim.canReadLine() || sim.state() != QProcess::Running, 15000);
        const QString line = QString::fromUtf8(sim.readLine()).trimmed();
        QVERIFY2(line.startsWith(QStringLiteral("kubesim listening on http://127.0.0.1:")),
                 qPrintable(line));
        const QString url = line.section(u' ', 3);
        QFile config(kubeconfig);
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray text = config.readAll();
        QVERIFY(text.contains("server: " + url.toUtf8()));
        QVERIFY(text.contains("token: tok"));
        QVERIFY(text.contains("current-context: kubesim"));
        HttpClient http;
        const HttpResult r = http.get(QUrl(url + QStringLiteral("/api/v1/namespaces/demo/pods")),
                                      {{"Authorization", "Bearer tok"}});
        QCOMPARE(r.status, 200);
        QVERIFY(json(r.body).value(QStringLiteral("items")).toArray().size() >= 2);
        ::kill(pid_t(sim.processId()), SIGTERM);
        QVERIFY(sim.waitForFinished(10000));
        QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sim.exitCode(), 0);
    }

    void badOptions_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("listen without port")
            << QStringList{"--listen", "127.0.0.1"} << "--listen wants host:port";
        QTest::newRow("client CA without TLS")
            << QStringList{"--client-ca", "/dev/null"} << "client certificates need --tls";
        QTest::newRow("bad time scale")
            << QStringList{"--time-scale", "-1"} << "--time-scale wants a positive number";
    }
    void badOptions() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess sim;
        sim.start(QStringLiteral(KUBESIM_BINARY), arguments);
        QVERIFY(sim.waitForFinished(10000));
        QCOMPARE(sim.exitCode(), 2);
        QVERIFY2(QString::fromUtf8(sim.readAllStandardError()).contains(message),
                 qPrintable(message));
    }

    void badScenarioFails() {
        QProcess sim;
        sim.start(QStringLiteral(KUBESIM_BINARY),
                  {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                   QStringLiteral("--scenario"), QStringLiteral("/nonexistent.json")});
        QVERIFY(sim.waitForFinished(10000));
        QCOMPARE(sim.exitCode(), 1);
        QVERIFY(QString::fromUtf8(sim.readAllStandardError())
                    .contains(QStringLiteral("/nonexistent.json")));
    }
};

QTEST_GUILESS_MAIN(TestKubeSimExe)
#include "tst_kubesim_exe.moc"
