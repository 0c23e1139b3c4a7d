#include "kube/kubeevent.h"
#include "kube/kubejob.h"
#include "kube/kubepod.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace pw::kube;

// The typed read-only views of Kubernetes objects (KubePod, KubeJob, KubeEvent): every layer
// reads pods, Jobs and events through them, so each answer is decided here once.
class TestKubeObjects : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void podOwnerJob_data();
    void podOwnerJob();
    void podContainers_data();
    void podContainers();
    void podFields();
    void nullPod();
    void statusWithoutSpec();
    void jobFinished_data();
    void jobFinished();
    void jobFields();
    void event_data();
    void event();
};

namespace {

QJsonObject json(const char *text) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s in %s", qPrintable(error.errorString()), text);
    return doc.object();
}

} // namespace

void TestKubeObjects::podOwnerJob_data() {
    QTest::addColumn<QString>("metadata");
    QTest::addColumn<QString>("job");
    QTest::newRow("owner reference of kind Job")
        << R"({"name":"p","ownerReferences":[{"kind":"Job","name":"j1"}]})" << "j1";
    QTest::newRow("owner reference wins over the labels")
        << R"({"name":"p","ownerReferences":[{"kind":"Job","name":"j1"}],
              "labels":{"job-name":"j2","batch.kubernetes.io/job-name":"j3"}})"
        << "j1";
    QTest::newRow("owner of another kind is not a Job")
        << R"({"name":"p","ownerReferences":[{"kind":"ReplicaSet","name":"rs"}]})" << "";
    QTest::newRow("a later owner reference of kind Job")
        << R"({"name":"p","ownerReferences":[{"kind":"ReplicaSet","name":"rs"},{"kind":"Job","name":"j4"}]})"
        << "j4";
    QTest::newRow("batch label before the old label")
        << R"({"name":"p","labels":{"job-name":"old","batch.kubernetes.io/job-name":"new"}})"
        << "new";
    QTest::newRow("old label alone") << R"({"name":"p","labels":{"job-name":"old"}})" << "old";
    QTest::newRow("no owner, no label") << R"({"name":"p","labels":{"app":"web"}})" << "";
}

void TestKubeObjects::podOwnerJob() {
    QFETCH(QString, metadata);
    QFETCH(QString, job);
    const QJsonObject meta = QJsonDocument::fromJson(metadata.toUtf8()).object();
    QVERIFY(!meta.isEmpty());
    QCOMPARE(KubePod(QJsonObject{{"metadata", meta}}).jobName(), job);
    QCOMPARE(KubePod::ownerJob(meta), job);
}

void TestKubeObjects::podContainers_data() {
    QTest::addColumn<QString>("status"); // the container's status object ("" for none)
    QTest::addColumn<bool>("reported");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("restarts");
    QTest::addColumn<bool>("ready");
    QTest::newRow("no status yet") << "" << false << "waiting" << "" << -1 << 0 << false;
    QTest::newRow("status without a state") << R"({"name":"c","restartCount":1})" << false
                                            << "waiting" << "" << -1 << 1 << false;
    QTest::newRow("waiting with a reason")
        << R"({"name":"c","state":{"waiting":{"reason":"ImagePullBackOff","message":"m"}}})"
        << true << "waiting" << "ImagePullBackOff" << -1 << 0 << false;
    QTest::newRow("running")
        << R"({"name":"c","ready":true,"restartCount":2,"state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}})"
        << true << "running" << "" << -1 << 2 << true;
    QTest::newRow("terminated with its exit code")
        << R"({"name":"c","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}})"
        << true << "terminated" << "OOMKilled" << 137 << 0 << false;
    QTest::newRow("terminated with exit code 0")
        << R"({"name":"c","state":{"terminated":{"exitCode":0,"reason":"Completed"}}})"
        << true << "terminated" << "Completed" << 0 << 0 << false;
    QTest::newRow("running wins over a stale waiting")
        << R"({"name":"c","state":{"waiting":{"reason":"x"},"running":{}}})" << true
        << "running" << "" << -1 << 0 << false;
}

void TestKubeObjects::podContainers() {
    QFETCH(QString, status);
    QFETCH(bool, reported);
    QFETCH(QString, state);
    QFETCH(QString, reason);
    QFETCH(int, exitCode);
    QFETCH(int, restarts);
    QFETCH(bool, ready);
    for (const bool init : {true, false}) {
        const QString specList = init ? QStringLiteral("initContainers") : QStringLiteral("containers");
        const QString statusList =
            init ? QStringLiteral("initContainerStatuses") : QStringLiteral("containerStatuses");
        QJsonObject spec{{specList,
                          QJsonArray{QJsonObject{{"name", "c"}, {"image", "img:1"}}}}};
        QJsonObject podStatus{{"phase", "Pending"}};
        if (!status.isEmpty())
            podStatus.insert(statusList,
                             QJsonArray{QJsonDocument::fromJson(status.toUtf8()).object()});
        const KubePod pod(QJsonObject{
            {"metadata", QJsonObject{{"name", "p"}}}, {"spec", spec}, {"status", podStatus}});
        QCOMPARE(pod.containers().size(), 1);
        const KubeContainer *c = pod.container("c");
        QVERIFY(c);
        QCOMPARE(c->init, init);
        QCOMPARE(c->image, QStringLiteral("img:1"));
        QCOMPARE(c->reported, reported);
        QCOMPARE(c->stateName(), state);
        QCOMPARE(c->reason, reason);
        QCOMPARE(c->exitCode, exitCode);
        QCOMPARE(c->restarts, restarts);
        QCOMPARE(c->ready, ready);
        QCOMPARE(pod.containerNames(init), QStringList{"c"});
        QVERIFY(pod.containerNames(!init).isEmpty());
        QVERIFY(!pod.container("other"));
    }
}

void TestKubeObjects::podFields() {
    const KubePod pod(json(R"({
        "metadata":{"name":"p1","namespace":"ns","creationTimestamp":"2026-01-02T03:04:05Z",
                    "labels":{"app":"web"}},
        "spec":{"nodeName":"node-1",
                "initContainers":[{"name":"tools","image":"tools:1"},{"name":"pull-source","image":"src:2"}],
                "containers":[{"name":"push","image":"crane:3"}]},
        "status":{"phase":"Succeeded","startTime":"2026-01-02T03:04:06Z",
                  "initContainerStatuses":[{"name":"tools","restartCount":1,"state":{"terminated":{"exitCode":0}}},
                                           {"name":"pull-source","restartCount":2,"state":{"terminated":{"exitCode":0}}}],
                  "containerStatuses":[{"name":"push","restartCount":3,"state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}})"));
    QCOMPARE(pod.name(), QStringLiteral("p1"));
    QCOMPARE(pod.namespaceName(), QStringLiteral("ns"));
    QCOMPARE(pod.phase(), QStringLiteral("Succeeded"));
    QVERIFY(pod.hasFinished());
    QCOMPARE(pod.nodeName(), QStringLiteral("node-1"));
    QCOMPARE(pod.createdAt(), QStringLiteral("2026-01-02T03:04:05Z"));
    QCOMPARE(pod.startedAt(), QStringLiteral("2026-01-02T03:04:06Z"));
    QVERIFY(pod.hasLabels());
    QCOMPARE(pod.labels().value("app").toString(), QStringLiteral("web"));
    QCOMPARE(pod.containerNames(true), (QStringList{"tools", "pull-source"}));
    QCOMPARE(pod.containerNames(false), QStringList{"push"});
    QCOMPARE(pod.images(), (QStringList{"tools:1", "src:2", "crane:3"}));
    QCOMPARE(pod.restarts(), 6);
    QCOMPARE(pod.container("push")->exitCode, 1);
}

void TestKubeObjects::nullPod() {
    const KubePod none;
    QVERIFY(none.isNull());
    QVERIFY(none.containers().isEmpty());
    QVERIFY(!none.container("c"));
    const KubePod running(json(R"({"metadata":{"name":"p"},"status":{"phase":"Running"}})"));
    QVERIFY(!running.isNull());
    QVERIFY(!running.hasFinished());
    QVERIFY(!running.hasLabels());
}

// A partial object (a status for a container the spec does not list) still tells its state.
void TestKubeObjects::statusWithoutSpec() {
    const KubePod pod(json(R"({"metadata":{"name":"p"},
        "spec":{"containers":[{"name":"a","image":"a:1"}]},
        "status":{"initContainerStatuses":[{"name":"i","state":{"terminated":{"exitCode":0}}}],
                  "containerStatuses":[{"name":"b","restartCount":4,"state":{"running":{}}},
                                       {"name":"a","state":{"waiting":{"reason":"X"}}}]}})"));
    QCOMPARE(pod.containerNames(true), QStringList{"i"});
    QCOMPARE(pod.containerNames(false), (QStringList{"a", "b"}));
    QCOMPARE(pod.container("i")->exitCode, 0);
    QCOMPARE(pod.container("a")->reason, QStringLiteral("X"));
    QCOMPARE(pod.container("b")->stateName(), QStringLiteral("running"));
    QCOMPARE(pod.restarts(), 4);
}

void TestKubeObjects::jobFinished_data() {
    QTest::addColumn<QString>("conditions");
    QTest::addColumn<QString>("finished");
    QTest::newRow("no conditions") << "[]" << "";
    QTest::newRow("complete") << R"([{"type":"Complete","status":"True"}])" << "Complete";
    QTest::newRow("failed") << R"([{"type":"Failed","status":"True"}])" << "Failed";
    QTest::newRow("failed but not true") << R"([{"type":"Failed","status":"False"}])" << "";
    QTest::newRow("other conditions first")
        << R"([{"type":"Suspended","status":"True"},{"type":"Complete","status":"True"}])"
        << "Complete";
    QTest::newRow("failure target is not finished")
        << R"([{"type":"FailureTarget","status":"True"}])" << "";
}

void TestKubeObjects::jobFinished() {
    QFETCH(QString, conditions);
    QFETCH(QString, finished);
    const QJsonArray list = QJsonDocument::fromJson(conditions.toUtf8()).array();
    const KubeJob job(QJsonObject{{"metadata", QJsonObject{{"name", "j"}}},
                                  {"status", QJsonObject{{"conditions", list}}}});
    QCOMPARE(job.finishedCondition(), finished);
}

void TestKubeObjects::jobFields() {
    const KubeJob job(json(R"({
        "metadata":{"name":"j1","namespace":"ns","creationTimestamp":"2026-01-02T03:04:05Z",
                    "labels":{"a":"b"},"annotations":{"x":"y"}},
        "spec":{"template":{"spec":{"containers":[{"name":"c","image":"img:1"},{"name":"d","image":"img:2"}]}}},
        "status":{"active":1,"succeeded":2,"failed":3,"startTime":"2026-01-02T03:04:06Z",
                  "completionTime":"2026-01-02T03:05:00Z"}})"));
    QCOMPARE(job.name(), QStringLiteral("j1"));
    QCOMPARE(job.namespaceName(), QStringLiteral("ns"));
    QCOMPARE(job.createdAt(), QStringLiteral("2026-01-02T03:04:05Z"));
    QCOMPARE(job.startedAt(), QStringLiteral("2026-01-02T03:04:06Z"));
    QCOMPARE(job.completedAt(), QStringLiteral("2026-01-02T03:05:00Z"));
    QCOMPARE(job.labels().value("a").toString(), QStringLiteral("b"));
    QCOMPARE(job.annotations().value("x").toString(), QStringLiteral("y"));
    QCOMPARE(job.firstImage(), QStringLiteral("img:1"));
    QCOMPARE(job.active(), 1);
    QCOMPARE(job.succeeded(), 2);
    QCOMPARE(job.failed(), 3);
    QVERIFY(job.finishedCondition().isEmpty());
    QVERIFY(KubeJob().isNull());
}

void TestKubeObjects::event_data() {
    QTest::addColumn<QString>("object");
    QTest::addColumn<QString>("time");
    QTest::addColumn<int>("count");
    QTest::newRow("last timestamp first")
        << R"({"lastTimestamp":"2026-01-01T00:00:03Z","eventTime":"2026-01-01T00:00:02.000000Z",
               "metadata":{"creationTimestamp":"2026-01-01T00:00:01Z"},"count":4})"
        << "2026-01-01T00:00:03Z" << 4;
    QTest::newRow("event time without a last timestamp")
        << R"({"eventTime":"2026-01-01T00:00:02.000000Z","metadata":{"creationTimestamp":"2026-01-01T00:00:01Z"}})"
        << "2026-01-01T00:00:02.000000Z" << 1;
    QTest::newRow("creation time at last")
        << R"({"lastTimestamp":null,"metadata":{"creationTimestamp":"2026-01-01T00:00:01Z"}})"
        << "2026-01-01T00:00:01Z" << 1;
    QTest::newRow("count 0 counts once") << R"({"count":0})" << "" << 1;
}

void TestKubeObjects::event() {
    QFETCH(QString, object);
    QFETCH(QString, time);
    QFETCH(int, count);
    QJsonObject o = QJsonDocument::fromJson(object.toUtf8()).object();
    QVERIFY(!o.isEmpty());
    o.insert("type", "Warning");
    o.insert("reason", "Failed");
    o.insert("message", "pull failed");
    o.insert("involvedObject", QJsonObject{{"kind", "Pod"}, {"name", "p1"}});
    const KubeEvent e(o);
    QCOMPARE(e.time(), time);
    QCOMPARE(e.count(), count);
    QCOMPARE(e.type(), QStringLiteral("Warning"));
    QCOMPARE(e.reason(), QStringLiteral("Failed"));
    QCOMPARE(e.message(), QStringLiteral("pull failed"));
    QCOMPARE(e.objectKind(), QStringLiteral("Pod"));
    QCOMPARE(e.objectName(), QStringLiteral("p1"));
}

QTEST_GUILESS_MAIN(TestKubeObjects)
#include "tst_kubeobjects.moc"
