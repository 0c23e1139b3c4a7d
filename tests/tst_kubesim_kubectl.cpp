// The real kubectl against the pullwatch-kubesim executable (TLS + token, its own
// kubeconfig): get, get -l, get -w, create -f with validation, logs -f, describe, errors.
// Every kubectl on the machine is tried: /usr/bin/kubectl and the versioned ones of the
// Google Cloud SDK (1.27 … 1.33).
#include "kubesimtestsupport.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>

using namespace KubeSimTest;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QString jobYaml(const QString &name, const QString &source) {
    return QStringLiteral(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: %1
  labels:
    app.kubernetes.io/managed-by: pullwatch
  annotations:
    pullwatch.io/source-image: %2
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      volumes:
      - name: tools
        emptyDir: {}
      initContainers:
      - name: tools
        image: busybox:1.36
        command: ["cp", "/bin/true", "/tools/no-op"]
        volumeMounts:
        - name: tools
          mountPath: /tools
      - name: pull-source
        image: %2
        imagePullPolicy: Always
        command: ["/tools/no-op"]
      containers:
      - name: push-to-harbor
        image: gcr.io/go-containerregistry/crane:v0.20.2
        args: ["copy", "%2", "harbor.example.com/library/%1"]
)")
        .arg(name, source);
}

} // namespace

class TestKubeSimKubectl : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_sim;
    QString m_kubeconfig;
    QUrl m_url;
    QList<QPair<QString, QString>> m_kubectls; // row name, binary
    QHash<QString, int> m_minor;               // binary → its minor version (1.<minor>)
    int m_serial = 0;

    Run kubectl(const QStringList &arguments, const QString &kubeconfig = {},
                int timeoutMs = 20000) {
        QFETCH(QString, binary);
        QProcess p;
        p.start(binary, QStringList{QStringLiteral("--kubeconfig"),
                                    kubeconfig.isEmpty() ? m_kubeconfig : kubeconfig} +
                            arguments);
        Run r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.err = QStringLiteral("timed out");
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }
    QString uniqueName(const char *what) {
        QFETCH(QString, binary);
        QString version = QFileInfo(binary).fileName().section(u'.', 1).remove(u'.');
        if (version.isEmpty())
            version = QStringLiteral("sys");
        return QStringLiteral("%1-%2-%3").arg(QLatin1String(what), version).arg(++m_serial);
    }
    QString createJob(const QString &name, const QString &source) {
        const QString path = m_dir.filePath(name + QStringLiteral(".yaml"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(jobYaml(name, source).toUtf8());
        f.close();
        const Run r = kubectl({QStringLiteral("create"), QStringLiteral("-f"), path,
                               QStringLiteral("--validate=true")});
        if (r.exitCode != 0)
            qWarning() << "kubectl create:" << r.err;
        return r.out.trimmed();
    }
    QString podOf(const QString &job) {
        return kubectl({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-l"),
                        QStringLiteral("job-name=") + job, QStringLiteral("-o"),
                        QStringLiteral("jsonpath={.items[0].metadata.name}")})
            .out.trimmed();
    }

private Q_SLOTS:
    void initTestCase() {
        const QDir sdk(QStringLiteral("/usr/lib/google-cloud-sdk/bin"));
        for (const QString &name :
             sdk.entryList({QStringLiteral("kubectl.1.*")}, QDir::Files, QDir::Name))
        {
            m_kubectls << qMakePair(name.mid(8), sdk.filePath(name));
            m_minor.insert(sdk.filePath(name), name.section(u'.', 2, 2).toInt());
        }
        // /usr/bin/kubectl too, unless it is one of those versions already.
        if (QFileInfo::exists(QStringLiteral("/usr/bin/kubectl"))) {
            QProcess v;
            v.start(QStringLiteral("/usr/bin/kubectl"),
                    {QStringLiteral("version"), QStringLiteral("--client"), QStringLiteral("-o"),
                     QStringLiteral("json")});
            v.waitForFinished(10000);
            const QJsonObject client =
                json(v.readAllStandardOutput()).value(QStringLiteral("clientVersion")).toObject();
            const QString version = client.value(QStringLiteral("major")).toString() + u'.' +
                                    client.value(QStringLiteral("minor")).toString().remove(u'+');
            bool known = false;
            for (const auto &k : std::as_const(m_kubectls))
                known = known || k.first == version;
            if (!known) {
                m_kubectls.prepend(
                    qMakePair(QStringLiteral("system"), QStringLiteral("/usr/bin/kubectl")));
                m_minor.insert(QStringLiteral("/usr/bin/kubectl"),
                               client.value(QStringLiteral("minor")).toString().remove(u'+').toInt());
            }
        }
        if (m_kubectls.isEmpty())
            QFAIL("kubectl is not installed (neither /usr/bin/kubectl nor "
                  "/usr/lib/google-cloud-sdk/bin/kubectl.1.*): the kubectl suite needs the real "
                  "binary; install the Debian package kubernetes-client (scripts/install-deps.sh)");
        QVERIFY(m_dir.isValid());
        QFile scenario(m_dir.filePath(QStringLiteral("scenario.json")));
        QVERIFY(scenario.open(QIODevice::WriteOnly));
        scenario.write(
            R"({"timeScale":0.05,"rules":[{"keyword":"talky","outcome":"chatty","linesPerSecond":500,"lines":150}]})");
        scenario.close();
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        m_sim.setProcessChannelMode(QProcess::SeparateChannels);
        m_sim.start(QStringLiteral(KUBESIM_BINARY),
                    {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--tls"), QStringLiteral("--token"),
                     QStringLiteral("kubectl-test-token"), QStringLiteral("--write-kubeconfig"),
                     m_kubeconfig, QStringLiteral("--scenario"), scenario.fileName()});
        QVERIFY(m_sim.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim.canReadLine() || m_sim.state() != QProcess::Running, 15000);
        const QString line = QString::fromUtf8(m_sim.readLine()).trimmed();
        QVERIFY2(line.startsWith(QStringLiteral("kubesim listening on https://127.0.0.1:")),
                 qPrintable(line + QString::fromUtf8(m_sim.readAllStandardError())));
        m_url = QUrl(line.section(u' ', 3));
        QVERIFY(QFileInfo::exists(m_kubeconfig));
    }

    void cleanupTestCase() {
        if (m_sim.state() == QProcess::Running) {
            ::kill(pid_t(m_sim.processId()), SIGTERM);
            QVERIFY(m_sim.waitForFinished(10000));
            QCOMPARE(m_sim.exitStatus(), QProcess::NormalExit);
            QCOMPARE(m_sim.exitCode(), 0);
        }
    }

    void versions_data() {
        QTest::addColumn<QString>("binary");
        for (const auto &[row, binary] : m_kubectls)
            QTest::newRow(qPrintable(row)) << binary;
    }

    void createGetDescribe_data() { versions_data(); }
    void createGetDescribe() {
        const QString job = uniqueName("pull");
        QCOMPARE(createJob(job, QStringLiteral("nginx:1.27")),
                 QStringLiteral("job.batch/%1 created").arg(job));
        Run r;
        QTRY_VERIFY2((r = kubectl({QStringLiteral("get"), QStringLiteral("jobs")}))
                         .out.contains(QRegularExpression(
                             QStringLiteral("\\n%1 +(Complete +)?1/1 ").arg(job))),
                     qPrintable(r.out + r.err));
        QVERIFY(r.out.startsWith(QStringLiteral("NAME ")));
        QVERIFY(r.out.contains(QStringLiteral("COMPLETIONS")));
        const QString pod = podOf(job);
        QVERIFY(pod.startsWith(job + u'-'));
        r = kubectl({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-l"),
                     QStringLiteral("job-name=") + job});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(
                     QRegularExpression(QStringLiteral("\\n%1 +0/1 +Completed +0 ").arg(pod))),
                 qPrintable(r.out));
        r = kubectl({QStringLiteral("describe"), QStringLiteral("pod"), pod});
        QCOMPARE(r.exitCode, 0);
        const QStringList expected = {QStringLiteral("Succeeded"),
                                      QStringLiteral("sim-node-1"),
                                      QStringLiteral("Job/") + job,
                                      QStringLiteral("Init Containers:"),
                                      QStringLiteral("pull-source:"),
                                      QStringLiteral("push-to-harbor:"),
                                      QStringLiteral("Completed"),
                                      QStringLiteral("Events:"),
                                      QStringLiteral("Successfully assigned default/") + pod +
                                          QStringLiteral(" to sim-node-1"),
                                      QStringLiteral("Pulling image \"nginx:1.27\""),
                                      QStringLiteral("Started container push-to-harbor")};
        for (const QString &e : expected)
            QVERIFY2(r.out.contains(e),
                     qPrintable(QStringLiteral("missing \"%1\" in:\n%2").arg(e, r.out)));
        r = kubectl(
            {QStringLiteral("logs"), pod, QStringLiteral("-c"), QStringLiteral("push-to-harbor")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(
            QStringLiteral("Copying from nginx:1.27 to harbor.example.com/library/") + job));
        QVERIFY(r.out.contains(QStringLiteral(": digest: sha256:")));
    }

    void logsFollow_data() { versions_data(); }
    void logsFollow() {
        const QString job = uniqueName("talky");
        QVERIFY(createJob(job, QStringLiteral("example.com/talky-app:1"))
                    .endsWith(QStringLiteral("created")));
        QString pod;
        QTRY_VERIFY(!(pod = podOf(job)).isEmpty());
        // Wait until the copy container runs (logs of a waiting container are a 400): the
        // pod is Running once its last container started.
        QTRY_VERIFY(kubectl({QStringLiteral("get"), QStringLiteral("pod"), pod,
                             QStringLiteral("-o"), QStringLiteral("jsonpath={.status.phase}")})
                        .out.contains(QRegularExpression(QStringLiteral("^(Running|Succeeded)$"))));
        const Run r = kubectl({QStringLiteral("logs"), QStringLiteral("-f"), pod,
                               QStringLiteral("-c"), QStringLiteral("push-to-harbor")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 150);
        for (int i = 0; i < lines.size(); ++i)
            QVERIFY2(lines[i].contains(QStringLiteral(" seq=%1 ").arg(i)), qPrintable(lines[i]));
    }

    void getJobsWatch_data() { versions_data(); }
    void getJobsWatch() {
        QFETCH(QString, binary);
        const QString pre = uniqueName("listed");
        QVERIFY(createJob(pre, QStringLiteral("nginx:1.27")).endsWith(QStringLiteral("created")));
        QProcess watch;
        watch.start(binary, {QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("get"),
                             QStringLiteral("jobs"), QStringLiteral("-w"),
                             QStringLiteral("--request-timeout=20s")});
        QVERIFY(watch.waitForStarted());
        // The list comes first (with no jobs kubectl prints nothing until an event comes, so
        // one job exists before the watch starts), then the changes.
        QByteArray out;
        QTRY_VERIFY((out += watch.readAllStandardOutput()).contains(pre.toUtf8()));
        QVERIFY(out.startsWith("NAME"));
        const QString job = uniqueName("watched");
        QVERIFY(createJob(job, QStringLiteral("nginx:1.27")).endsWith(QStringLiteral("created")));
        const QRegularExpression done(QStringLiteral("\\n%1 +(Complete +)?1/1").arg(job));
        QTRY_VERIFY2_WITH_TIMEOUT(
            QString::fromUtf8(out += watch.readAllStandardOutput()).contains(done),
            qPrintable(QString::fromUtf8(out)), 10000);
        QVERIFY(QString::fromUtf8(out).contains(
            QRegularExpression(QStringLiteral("\\n%1 +(Running +)?0/1").arg(job))));
        QVERIFY(watch.state() == QProcess::Running); // still watching until we stop it
        watch.terminate();
        QVERIFY(watch.waitForFinished(5000));
    }

    void errors_data() { versions_data(); }
    void errors() {
        Run r =
            kubectl({QStringLiteral("get"), QStringLiteral("job"), QStringLiteral("no-such-job")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral(
                     "Error from server (NotFound): jobs.batch \"no-such-job\" not found")),
                 qPrintable(r.err));
        // Server-side validation: kubectl 1.25 and later ask for fieldValidation=Strict; an
        // older kubectl (Debian 12's is 1.20) asks for nothing, and the server's default
        // (Warn) creates the object and names the unknown field in a Warning header.
        QFETCH(QString, binary);
        const bool strict = m_minor.value(binary) >= 25;
        const QString typo = m_dir.filePath(uniqueName("typo") + QStringLiteral(".yaml"));
        QFile t(typo);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(jobYaml(QStringLiteral("typo-job"), QStringLiteral("nginx:1.27"))
                    .replace(QStringLiteral("imagePullPolicy"), QStringLiteral("imagePullPolcy"))
                    .toUtf8());
        t.close();
        r = kubectl({QStringLiteral("create"), QStringLiteral("-f"), typo});
        const QString unknownField = QStringLiteral(
            "unknown field \"spec.template.spec.initContainers[1].imagePullPolcy\"");
        if (strict) {
            QVERIFY(r.exitCode != 0);
            QVERIFY2(r.err.contains(QStringLiteral("strict decoding error: ") + unknownField),
                     qPrintable(r.err));
        } else {
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.err.contains(QStringLiteral("Warning: ") + unknownField), qPrintable(r.err));
            QCOMPARE(kubectl({QStringLiteral("delete"), QStringLiteral("job"),
                              QStringLiteral("typo-job")})
                         .exitCode,
                     0);
        }
        QFile original(m_kubeconfig);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray config = original.readAll();
        config.replace("token: kubectl-test-token", "token: wrong-token");
        const QString wrong = m_dir.filePath(QStringLiteral("wrong-kubeconfig"));
        QFile w(wrong);
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(config);
        w.close();
        r = kubectl({QStringLiteral("get"), QStringLiteral("jobs")}, wrong);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("Unauthorized")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestKubeSimKubectl)
#include "tst_kubesim_kubectl.moc"
