#include "kube/kubeclient.h"
#include "kubetostring.h"
#include "kube/kubecredentials.h"
#include "kube/kubeinformer.h"
#include "kube/podlogstream.h"
#include "kubesim/kubesim.h"
#include "kubetestwait.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace pw::kube;
using namespace pw::kubesim;

// The client against kubesim, the simulated cluster, over the real HTTP API only: every
// auth form kubesim offers over TLS, 500 jobs watched through cut watches and 410s, and
// 200,000 log lines through drops every 10,000 lines.
class TestKubeOnSim : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void tokenFromWrittenKubeconfig();
    void wrongTokenAndForbidden();
    void clientCertificateFromWrittenKubeconfig();
    void execPlugin();
    void watch500Jobs_data();
    void watch500Jobs();
    void log200kLinesWithDrops();
    void podInformerFollowsAJobsPod();

private:
    bool startSim(KubeSimConfig config);
    KubeClient *clientFromKubeconfig(QString *error = nullptr);
    static QJsonObject jobManifest(const QString &image);

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<KubeSim> m_sim;
    std::unique_ptr<QObject> m_owner;
};

void TestKubeOnSim::init() {
    m_tmp = std::make_unique<QTemporaryDir>();
    m_owner = std::make_unique<QObject>();
}

void TestKubeOnSim::cleanup() {
    m_owner.reset();
    m_sim.reset();
}

bool TestKubeOnSim::startSim(KubeSimConfig config) {
    m_sim = std::make_unique<KubeSim>(config);
    QString error;
    if (!m_sim->start(&error)) {
        qWarning() << "kubesim:" << error;
        return false;
    }
    return m_sim->writeKubeconfig(m_tmp->filePath("kubeconfig"), &error);
}

KubeClient *TestKubeOnSim::clientFromKubeconfig(QString *error) {
    KubeConfigLoadOptions o;
    o.explicitPath = m_tmp->filePath("kubeconfig");
    auto config = KubeConfig::load(o);
    if (!config.ok()) {
        if (error)
            *error = config.error();
        return nullptr;
    }
    auto client = KubeClient::create(config.value(), m_owner.get());
    if (!client.ok()) {
        if (error)
            *error = client.error();
        return nullptr;
    }
    KubeClient::Options options;
    options.retryInitialMs = 20;
    options.retryMaxMs = 500;
    options.maxRetries = 2;
    client.value()->setOptions(options);
    return client.value();
}

QJsonObject TestKubeOnSim::jobManifest(const QString &image) {
    const QJsonObject labels{{"app.kubernetes.io/managed-by", "pullwatch"}};
    const QJsonObject container{{"name", "push-to-harbor"}, {"image", image}};
    return {
        {"apiVersion", "batch/v1"},
        {"kind", "Job"},
        {"metadata", QJsonObject{{"generateName", "image-puller-"}, {"labels", labels}}},
        {"spec",
         QJsonObject{{"backoffLimit", 0},
                     {"template",
                      QJsonObject{{"metadata", QJsonObject{{"labels", labels}}},
                                  {"spec", QJsonObject{{"restartPolicy", "Never"},
                                                       {"containers", QJsonArray{container}}}}}}}}};
}

void TestKubeOnSim::tokenFromWrittenKubeconfig() {
    KubeSimConfig c;
    c.tls = true;
    c.token = "sim-token";
    QVERIFY(startSim(c));
    QString error;
    KubeClient *k = clientFromKubeconfig(&error);
    QVERIFY2(k, qPrintable(error));
    QVERIFY(k->config().server.scheme() == u"https");
    const KubeOutcome created =
        kubeWait(k->createJob("default", jobManifest("docker.io/library/nginx:1.27")));
    QVERIFY2(created.ok(), qPrintable(created.error.toString()));
    const QString name = created.json()["metadata"]["name"].toString();
    QVERIFY(kubeWait(k->getJob("default", name)).ok());
    QCOMPARE(kubeWait(k->listJobs("default", "app.kubernetes.io/managed-by=pullwatch"))
                 .json()["items"]
                 .toArray()
                 .size(),
             1);
    QTRY_VERIFY_WITH_TIMEOUT(
        kubeWait(k->listPods("default", "job-name=" + name)).json()["items"].toArray().size() == 1,
        10'000);
    const QString pod = kubeWait(k->listPods("default", "job-name=" + name))
                            .json()["items"][0]["metadata"]["name"]
                            .toString();
    QTRY_VERIFY_WITH_TIMEOUT(
        !kubeWait(k->listEvents("default", pod)).json()["items"].toArray().isEmpty(), 10'000);
    const KubeOutcome missing = kubeWait(k->getJob("default", "no-such-job"));
    QCOMPARE(missing.error.code, 404);
    QCOMPARE(missing.error.reason, QString("NotFound"));
    QVERIFY(kubeWait(k->deleteJob("default", name)).ok());
    QTRY_VERIFY_WITH_TIMEOUT(
        kubeWait(k->listPods("default", "job-name=" + name)).json()["items"].toArray().isEmpty(),
        10'000);
    QCOMPARE(k->state(), KubeClient::ConnectionState::Connected);
}

void TestKubeOnSim::wrongTokenAndForbidden() {
    KubeSimConfig c;
    c.tls = true;
    c.token = "sim-token";
    QVERIFY(startSim(c));
    auto config = KubeConfig::fromFiles({m_tmp->filePath("kubeconfig")}, {}, true);
    QVERIFY(config.ok());
    KubeConfig wrong = config.value();
    wrong.token = "not-the-token";
    KubeClient *k = KubeClient::create(wrong, m_owner.get()).value();
    QCOMPARE(kubeWait(k->listJobs("default")).error.code, 401);
    QCOMPARE(k->state(), KubeClient::ConnectionState::Unauthorized);
    KubeConfig forbidden = config.value();
    forbidden.token = m_sim->forbiddenToken();
    KubeClient *f = KubeClient::create(forbidden, m_owner.get()).value();
    const KubeOutcome r = kubeWait(f->listJobs("default"));
    QCOMPARE(r.error.code, 403);
    QCOMPARE(r.error.reason, QString("Forbidden"));
    QCOMPARE(f->state(), KubeClient::ConnectionState::Forbidden);
}

void TestKubeOnSim::clientCertificateFromWrittenKubeconfig() {
    KubeSimConfig c;
    c.tls = true;
    c.issueClientCertificate = true;
    QVERIFY(startSim(c));
    QString error;
    KubeClient *k = clientFromKubeconfig(&error);
    QVERIFY2(k, qPrintable(error));
    QVERIFY(!k->config().clientKeyPem.isEmpty());
    const KubeOutcome r = kubeWait(k->listJobs("default"));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
}

void TestKubeOnSim::execPlugin() {
    KubeSimConfig c;
    c.tls = true;
    c.token = "sim-exec-token";
    QVERIFY(startSim(c));
    auto config = KubeConfig::fromFiles({m_tmp->filePath("kubeconfig")}, {}, true);
    QVERIFY(config.ok());
    KubeConfig k8s = config.value();
    k8s.token.clear();
    const QString script = m_tmp->filePath("plugin.sh");
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\necho run >> \"$DIR/runs\"\n"
            "printf "
            "'{\"apiVersion\":\"client.authentication.k8s.io/"
            "v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s\"}}' \"$TOKEN\"\n");
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    f.close();
    k8s.exec = KubeExecConfig{"client.authentication.k8s.io/v1beta1",
                              script,
                              {},
                              {{"DIR", m_tmp->path()}, {"TOKEN", "sim-exec-token"}},
                              false};
    KubeClient *k = KubeClient::create(k8s, m_owner.get()).value();
    QVERIFY(kubeWait(k->listJobs("default")).ok());
    QVERIFY(kubeWait(k->listPods("default")).ok());
    QCOMPARE(k->credentials()->execRuns(), 1);
}

void TestKubeOnSim::watch500Jobs_data() {
    QTest::addColumn<bool>("goneAsEvent");
    QTest::newRow("410 as HTTP status") << false;
    QTest::newRow("410 as ERROR event") << true;
}

void TestKubeOnSim::watch500Jobs() {
    QFETCH(bool, goneAsEvent);
    constexpr int kJobs = 500;
    KubeSimConfig c;
    c.timeScale = 0.02;
    QVERIFY(startSim(c));
    m_sim->setWatchCutInterval(2000);
    KubeClient *k = clientFromKubeconfig();
    QVERIFY(k);
    KubeInformer informer(k, KubeInformer::Resource::Jobs, "default",
                          "app.kubernetes.io/managed-by=pullwatch");
    KubeInformer::Options o;
    o.retryInitialMs = 20;
    o.retryMaxMs = 500;
    informer.setOptions(o);
    QHash<QString, int> added;
    QHash<QString, QJsonObject> last;
    connect(&informer, &KubeInformer::added, this, [&](const QJsonObject &j) {
        ++added[j["metadata"]["uid"].toString()];
        last[j["metadata"]["uid"].toString()] = j;
    });
    connect(&informer, &KubeInformer::modified, this,
            [&](const QJsonObject &j) { last[j["metadata"]["uid"].toString()] = j; });
    informer.start();
    QTRY_VERIFY(informer.hasSynced());
    // Create the jobs in bursts while the watch is being cut; 410 twice half-way.
    int created = 0, failed = 0;
    bool goneOrdered = false;
    QTimer creator;
    connect(&creator, &QTimer::timeout, this, [&] {
        for (int i = 0; i < 10 && created < kJobs; ++i, ++created) {
            KubeCall *call = k->createJob(
                "default", jobManifest(QStringLiteral("docker.io/library/app%1:1").arg(created)));
            connect(call, &KubeCall::finished, this,
                    [&failed](KubeCall *c) { failed += !c->ok(); });
        }
        if (created >= kJobs / 2 && !goneOrdered) {
            goneOrdered = true;
            m_sim->failNextWatches(2, goneAsEvent);
        }
        if (created == kJobs)
            creator.stop();
    });
    creator.start(100);
    auto complete = [&] {
        int n = 0;
        for (const QJsonObject &j : std::as_const(last))
            n += j["status"]["succeeded"].toInt() == 1;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(complete(), kJobs, 40'000);
    QCOMPARE(failed, 0);
    QCOMPARE(added.size(), kJobs);
    for (auto it = added.cbegin(); it != added.cend(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(it.key()));
    QVERIFY2(informer.relistCount() >= 3, qPrintable(QString::number(informer.relistCount())));
    qInfo("%d jobs; %d watches, %d lists; kubesim opened %llu watches", kJobs,
          informer.watchCount(), informer.relistCount(), m_sim->watchesOpened());
}

void TestKubeOnSim::log200kLinesWithDrops() {
    constexpr qint64 kLines = 200'000;
    QFile scenario(m_tmp->filePath("scenario.json"));
    QVERIFY(scenario.open(QIODevice::WriteOnly));
    scenario.write(
        R"({"timeScale": 0.05, "rules": [{"keyword": "flood", "outcome": "chatty", "linesPerSecond": 0, "lines": 200000}],
                      "faults": {"logDropEveryLines": 10000}})");
    scenario.close();
    KubeSimConfig c;
    c.scenarioFile = scenario.fileName();
    QVERIFY(startSim(c));
    KubeClient *k = clientFromKubeconfig();
    QVERIFY(k);
    const KubeOutcome job =
        kubeWait(k->createJob("default", jobManifest("docker.io/library/flood:1")));
    QVERIFY(job.ok());
    const QString selector = "job-name=" + job.json()["metadata"]["name"].toString();
    QString pod;
    QTRY_VERIFY_WITH_TIMEOUT(!(pod = kubeWait(k->listPods("default", selector))
                                         .json()["items"][0]["metadata"]["name"]
                                         .toString())
                                  .isEmpty(),
                             10'000);
    PodLogOptions o;
    o.pod = pod;
    o.container = "push-to-harbor";
    o.retryInitialMs = 20;
    o.retryMaxMs = 200;
    PodLogStream stream(k, o);
    qint64 next = 0, lines = 0;
    QString firstError;
    connect(&stream, &PodLogStream::linesReceived, this, [&](const QList<KubeLogLine> &batch) {
        for (const KubeLogLine &l : batch) {
            const QByteArray text = l.text().toByteArray();
            const qsizetype at = text.indexOf(" seq=");
            if (at < 0)
                continue; // not a generated line
            const qint64 seq =
                text.mid(at + 5, text.indexOf(' ', at + 5) - at - 5).toLongLong();
            if (firstError.isEmpty() && seq != next)
                firstError = QStringLiteral("expected seq=%1, got %2").arg(next).arg(seq);
            next = seq + 1;
            ++lines;
        }
    });
    stream.start();
    QTRY_COMPARE_WITH_TIMEOUT(stream.state(), PodLogStream::State::Ended, 60'000);
    QVERIFY2(firstError.isEmpty(), qPrintable(firstError));
    QVERIFY2(lines == kLines,
             qPrintable(QStringLiteral("%1 lines; ended: %2").arg(lines).arg(stream.detail())));
    QCOMPARE(stream.endReason(), PodLogStream::EndReason::ContainerTerminated);
    QVERIFY(stream.connectionCount() >= int(kLines / 10'000));
    qInfo("%lld lines over %d connections", lines, stream.connectionCount());
}

void TestKubeOnSim::podInformerFollowsAJobsPod() {
    KubeSimConfig c;
    c.timeScale = 0.05;
    QVERIFY(startSim(c));
    KubeClient *k = clientFromKubeconfig();
    QVERIFY(k);
    const KubeOutcome job =
        kubeWait(k->createJob("default", jobManifest("docker.io/library/nginx:1.27")));
    QVERIFY(job.ok());
    const QString jobName = job.json()["metadata"]["name"].toString();
    KubeInformer pods(k, KubeInformer::Resource::Pods, "default", "job-name=" + jobName);
    QStringList phases;
    int added = 0;
    connect(&pods, &KubeInformer::added, this, [&](const QJsonObject &p) {
        ++added;
        phases << p["status"]["phase"].toString();
    });
    connect(&pods, &KubeInformer::modified, this, [&](const QJsonObject &p) {
        if (phases.isEmpty() || phases.last() != p["status"]["phase"].toString())
            phases << p["status"]["phase"].toString();
    });
    pods.start();
    QTRY_VERIFY_WITH_TIMEOUT(!phases.isEmpty() && phases.last() == u"Succeeded", 20'000);
    QCOMPARE(added, 1);
    QCOMPARE(pods.objects().size(), 1);
    QVERIFY(pods.objects().first().value("metadata")["name"].toString().startsWith(jobName + '-'));
}

QTEST_MAIN(TestKubeOnSim)
#include "tst_kubeonsim.moc"
