#include "pulls/failureclassifier.h"
#include "pulls/failurecause.h"
#include "pulls/pullmanifest.h"
#include "pulls/pullstatemapper.h"
#include "pulls/pulltracker.h"

#include "manualclock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

// The pull Job manifest, the mapping from Job and pod to stage, failure classification and
// the tracker's rules, on hand-written Kubernetes objects.
class TestPullParts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void manifest();
    void harborTarget_data();
    void harborTarget();
    void stages_data();
    void stages();
    void classify_data();
    void classify();
    void failureCause_data();
    void failureCause();
    void trackerKeepsProgressAndFinality();
    void trackerAnnouncesOnlyVisibleChanges();
    void settingsValidation();
};

void TestPullParts::manifest()
{
    const auto ref = ImageReference::parse(u"nvcr.io/nvidia/pytorch:24.05-py3");
    QVERIFY(ref.ok());
    PullSettings s;
    s.namespaceName = "pulls";
    const QJsonObject job = PullManifest::build(ref.value(), s, "image-puller-old");
    QCOMPARE(job["apiVersion"].toString(), "batch/v1");
    QCOMPARE(job["kind"].toString(), "Job");
    const QJsonObject meta = job["metadata"].toObject();
    QCOMPARE(meta["generateName"].toString(), "image-puller-");
    QCOMPARE(meta["namespace"].toString(), "pulls");
    QCOMPARE(meta["labels"].toObject()["app.kubernetes.io/managed-by"].toString(), "pullwatch");
    QCOMPARE(meta["labels"].toObject()["pullwatch.io/role"].toString(), "image-pull");
    QCOMPARE(meta["annotations"].toObject()["pullwatch.io/source-image"].toString(),
             "nvcr.io/nvidia/pytorch:24.05-py3");
    QCOMPARE(meta["annotations"].toObject()["pullwatch.io/retry-of"].toString(), "image-puller-old");
    const QJsonObject spec = job["spec"].toObject();
    QCOMPARE(spec["backoffLimit"].toInt(), 2);
    QCOMPARE(spec["activeDeadlineSeconds"].toInt(), 1800);
    QCOMPARE(spec["ttlSecondsAfterFinished"].toInt(), 3600);
    const QJsonObject tmpl = spec["template"].toObject();
    QCOMPARE(tmpl["metadata"].toObject()["labels"].toObject()["pullwatch.io/role"].toString(), "image-pull");
    const QJsonObject pod = tmpl["spec"].toObject();
    QCOMPARE(pod["restartPolicy"].toString(), "Never");
    // Pod Security "restricted": every container locked down, the runtime's seccomp profile.
    QCOMPARE(pod["securityContext"].toObject()["runAsNonRoot"].toBool(), true);
    QCOMPARE(pod["securityContext"].toObject()["seccompProfile"].toObject()["type"].toString(), "RuntimeDefault");
    for (const char *list : {"initContainers", "containers"})
        for (const QJsonValue &c : pod[QLatin1StringView(list)].toArray()) {
            const QJsonObject sc = c.toObject()["securityContext"].toObject();
            QCOMPARE(sc["allowPrivilegeEscalation"].toBool(true), false);
            QCOMPARE(sc["capabilities"].toObject()["drop"].toArray(), QJsonArray{"ALL"});
        }
    const QJsonArray init = pod["initContainers"].toArray();
    QCOMPARE(init.size(), 2);
    QCOMPARE(init[0].toObject()["name"].toString(), "tools");
    const QJsonObject source = init[1].toObject();
    QCOMPARE(source["name"].toString(), "pull-source");
    QCOMPARE(source["image"].toString(), "nvcr.io/nvidia/pytorch:24.05-py3");
    QCOMPARE(source["imagePullPolicy"].toString(), "Always");
    // No shell: the static no-op binary the tools container copied.
    QCOMPARE(source["command"].toArray().first().toString(), "/pullwatch-tools/true");
    const QJsonObject push = pod["containers"].toArray().first().toObject();
    QCOMPARE(push["name"].toString(), "push-to-harbor");
    const QJsonArray args = push["args"].toArray();
    QCOMPARE(args[0].toString(), "copy");
    QCOMPARE(args[2].toString(), "harbor.local/mirror/nvidia/pytorch:24.05-py3");
    QVERIFY(push["image"].toString().contains(":v"));
}

void TestPullParts::harborTarget_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    const QString digest = "sha256:" + QString(64, u'b');
    QTest::newRow("official") << "nginx" << "harbor.local/mirror/library/nginx:latest";
    QTest::newRow("registry host dropped") << "quay.io/org/app:1" << "harbor.local/mirror/org/app:1";
    QTest::newRow("port host dropped") << "host:5000/x/y:2" << "harbor.local/mirror/x/y:2";
    QTest::newRow("digest") << "nginx@" + digest << "harbor.local/mirror/library/nginx@" + digest;
}

void TestPullParts::harborTarget()
{
    QFETCH(QString, source);
    const auto ref = ImageReference::parse(source);
    QVERIFY(ref.ok());
    QTEST(PullManifest::harborTarget(ref.value(), PullSettings()), "target");
}

static QJsonObject status(const QString &name, const QString &state, const QJsonObject &detail = {})
{
    return QJsonObject{{"name", name}, {"state", QJsonObject{{state, detail}}}};
}

void TestPullParts::stages_data()
{
    QTest::addColumn<QJsonObject>("job");
    QTest::addColumn<QJsonObject>("pod");
    QTest::addColumn<int>("stage");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("reason");
    QTest::addColumn<bool>("backOff");

    const QJsonObject running{{"status", QJsonObject{{"active", 1}}}};
    auto pod = [](QJsonArray init, QJsonArray main, QJsonArray conditions = {}) {
        return QJsonObject{{"metadata", QJsonObject{{"name", "p"}}},
                           {"spec", QJsonObject{{"nodeName", "n1"}}},
                           {"status", QJsonObject{{"initContainerStatuses", init},
                                                  {"containerStatuses", main},
                                                  {"conditions", conditions}}}};
    };
    const QJsonObject ok0{{"exitCode", 0}};
    QTest::newRow("no pod") << running << QJsonObject() << int(PullStage::Initializing)
                            << "Initializing pull job..." << int(FailureReason::None) << false;
    QTest::newRow("unschedulable")
        << running
        << pod({}, {}, {QJsonObject{{"type", "PodScheduled"}, {"status", "False"}, {"reason", "Unschedulable"}}})
        << int(PullStage::Waiting) << "Waiting for the pull pod to start..." << int(FailureReason::None) << false;
    QTest::newRow("tools starting")
        << running << pod({status("tools", "waiting", {{"reason", "PodInitializing"}})}, {})
        << int(PullStage::Waiting) << "Waiting for the pull pod to start..." << int(FailureReason::None) << false;
    QTest::newRow("pulling source")
        << running << pod({status("tools", "terminated", ok0), status("pull-source", "waiting", {{"reason", "PodInitializing"}})}, {})
        << int(PullStage::PullingSource) << "Pulling source image..." << int(FailureReason::None) << false;
    QTest::newRow("pull back-off")
        << running
        << pod({status("tools", "terminated", ok0),
                status("pull-source", "waiting", {{"reason", "ImagePullBackOff"}, {"message", "manifest unknown"}})}, {})
        << int(PullStage::PullingSource) << "Pulling source image... (ImagePullBackOff)"
        << int(FailureReason::None) << true;
    QTest::newRow("source pulled")
        << running
        << pod({status("tools", "terminated", ok0), status("pull-source", "terminated", ok0)},
               {status("push-to-harbor", "waiting", {{"reason", "ContainerCreating"}})})
        << int(PullStage::SourcePulled) << "Source image pulled, pushing to Harbor..." << int(FailureReason::None) << false;
    QTest::newRow("pushing")
        << running
        << pod({status("tools", "terminated", ok0), status("pull-source", "terminated", ok0)},
               {status("push-to-harbor", "running")})
        << int(PullStage::Pushing) << "Pushing to Harbor..." << int(FailureReason::None) << false;
    QTest::newRow("complete")
        << QJsonObject{{"status", QJsonObject{{"conditions", QJsonArray{QJsonObject{{"type", "Complete"}, {"status", "True"}}}}}}}
        << QJsonObject() << int(PullStage::Completed) << "Image pushed to Harbor successfully"
        << int(FailureReason::None) << false;
    const QJsonObject failedBackoff{{"status", QJsonObject{{"conditions", QJsonArray{QJsonObject{
        {"type", "Failed"}, {"status", "True"}, {"reason", "BackoffLimitExceeded"}, {"message", "Job has reached the specified backoff limit"}}}}}}};
    QTest::newRow("push failed")
        << failedBackoff
        << pod({status("tools", "terminated", ok0), status("pull-source", "terminated", ok0)},
               {status("push-to-harbor", "terminated", {{"exitCode", 1}})})
        << int(PullStage::Failed) << "push to Harbor exited with code 1" << int(FailureReason::PushFailed) << false;
    QTest::newRow("backoff limit")
        << failedBackoff << QJsonObject() << int(PullStage::Failed)
        << "Job has reached the specified backoff limit" << int(FailureReason::BackoffLimitExceeded) << false;
    QTest::newRow("deadline")
        << QJsonObject{{"status", QJsonObject{{"conditions", QJsonArray{QJsonObject{
               {"type", "Failed"}, {"status", "True"}, {"reason", "DeadlineExceeded"}, {"message", "Job was active longer than specified deadline"}}}}}}}
        << QJsonObject() << int(PullStage::Failed) << "Job was active longer than specified deadline"
        << int(FailureReason::DeadlineExceeded) << false;
}

void TestPullParts::stages()
{
    QFETCH(QJsonObject, job);
    QFETCH(QJsonObject, pod);
    const PullObservation o = PullStateMapper::observe(job, pod);
    QTEST(int(o.stage), "stage");
    QTEST(o.message, "message");
    QTEST(int(o.reason), "reason");
    QTEST(o.inPullBackOff, "backOff");
}

void TestPullParts::classify_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("reason");
    QTest::newRow("containerd not found")
        << "failed to resolve reference \"docker.io/library/nope:1\": docker.io/library/nope:1: not found"
        << int(FailureReason::ImageNotFound);
    QTest::newRow("manifest unknown") << "manifest unknown: manifest unknown" << int(FailureReason::ImageNotFound);
    QTest::newRow("unauthorized") << "pull access denied, authorization failed: 401 Unauthorized"
                                  << int(FailureReason::Unauthorized);
    QTest::newRow("auth required") << "unauthorized: authentication required" << int(FailureReason::Unauthorized);
    QTest::newRow("network") << "dial tcp: i/o timeout" << int(FailureReason::PullBackOff);
    QTest::newRow("containerd private repo")
        << "failed to resolve reference \"docker.io/p/x:1\": pull access denied, repository does not exist "
           "or may require authorization: unauthorized: authentication required"
        << int(FailureReason::Unauthorized);
    QTest::newRow("docker hub ambiguous") << "repository does not exist or may require 'docker login'"
                                          << int(FailureReason::ImageNotFound);
}

void TestPullParts::classify()
{
    QFETCH(QString, message);
    QTEST(int(FailureClassifier::classifyPullError(message)), "reason");
}

void TestPullParts::failureCause_data()
{
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("pushLog");
    QTest::addColumn<QString>("expected");
    const QString exited = QStringLiteral("push to Harbor exited with code 1");
    const QString craneLog = QStringLiteral(
        "2026/12/06 01:00:00 Copying from docker.io/team/x:1 to harbor.local/mirror/team/x:1\n"
        "2026/12/06 01:00:01 existing blob: sha256:abc\n"
        "Error: PUT https://harbor.local/v2/mirror/team/x/manifests/1: UNAUTHORIZED: "
        "unauthorized to access repository: mirror/team/x, action: push\n");
    QTest::newRow("crane Error line first")
        << int(FailureReason::PushFailed) << exited << craneLog
        << QStringLiteral("PUT https://harbor.local/v2/mirror/team/x/manifests/1: UNAUTHORIZED: "
                          "unauthorized to access repository: mirror/team/x, action: push (%1)")
               .arg(exited);
    QTest::newRow("registry code without Error:")
        << int(FailureReason::PushFailed) << exited
        << QStringLiteral("copying\nDENIED: requested access to the resource is denied\ndone\n")
        << QStringLiteral("DENIED: requested access to the resource is denied (%1)").arg(exited);
    QTest::newRow("log says nothing") << int(FailureReason::PushFailed) << exited
                                      << QStringLiteral("copying\n") << exited;
    QTest::newRow("no log") << int(FailureReason::PushFailed) << exited << QString() << exited;
    QTest::newRow("deadline first")
        << int(FailureReason::DeadlineExceeded)
        << QStringLiteral("Job was active longer than specified deadline") << QString()
        << QStringLiteral("the pull ran longer than its deadline of 1800 s (--job-deadline): Job "
                          "was active longer than specified deadline");
    QTest::newRow("pull error keeps kubelet's words")
        << int(FailureReason::ImageNotFound) << QStringLiteral("x:1: not found") << craneLog
        << QStringLiteral("x:1: not found");
}

void TestPullParts::failureCause()
{
    QFETCH(int, reason);
    QFETCH(QString, message);
    QFETCH(QString, pushLog);
    PullJob job;
    job.reason = FailureReason(reason);
    job.message = message;
    job.pushLogTail = pushLog;
    QTEST(FailureCause::leadingMessage(job, 1800), "expected");
}

// Failure details (events, log tails) added to a finished pull change nothing a status
// subscriber or a list shows: no second announcement of the same final state.
void TestPullParts::trackerAnnouncesOnlyVisibleChanges()
{
    ManualClock clock;
    PullTracker tracker(&clock, 3);
    QSignalSpy changed(&tracker, &PullTracker::changed);
    PullJob job;
    job.id = "a";
    job.source = "docker.io/library/nginx:1";
    job.status = PullStatus::Failed;
    job.message = "not found";
    tracker.put(job);
    QCOMPARE(changed.size(), 1);
    PullJob detailed = job;
    detailed.sourceLogTail = "pulling\nnot found";
    tracker.put(detailed);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(tracker.find("a")->sourceLogTail, QString("pulling\nnot found")); // kept all the same
    detailed.message = "not found: docker.io/library/nginx:1";
    tracker.put(detailed);
    QCOMPARE(changed.size(), 2);
}

void TestPullParts::trackerKeepsProgressAndFinality()
{
    ManualClock clock;
    PullTracker tracker(&clock, 3);
    QSignalSpy changed(&tracker, &PullTracker::changed);
    QSignalSpy finished(&tracker, &PullTracker::finishedPull);
    PullJob base;
    base.id = "a";
    base.source = "docker.io/library/nginx:1";
    PullObservation o;
    o.stage = PullStage::Pushing;
    o.message = "Pushing to Harbor...";
    QCOMPARE(tracker.apply(base, o).progress, 80);
    // A retried pod starts over at pulling-source: progress does not go backwards.
    o.stage = PullStage::PullingSource;
    o.message = "Pulling source image...";
    QCOMPARE(tracker.apply(base, o).progress, 80);
    QCOMPARE(tracker.activeIdFor("docker.io/library/nginx:1"), "a");
    o.stage = PullStage::Failed;
    o.reason = FailureReason::PushFailed;
    o.message = "push failed";
    const PullJob failed = tracker.apply(base, o);
    QCOMPARE(failed.status, PullStatus::Failed);
    QCOMPARE(failed.progress, 80); // keeps what it reached
    QVERIFY(failed.finishedAt.isValid());
    // Final: a later observation does not change it.
    o.stage = PullStage::Completed;
    QCOMPARE(tracker.apply(base, o).status, PullStatus::Failed);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(tracker.activeCount(), 0);
    // History is bounded.
    for (int i = 0; i < 5; ++i) {
        PullJob j;
        j.id = QString::number(i);
        j.status = PullStatus::Failed;
        j.stage = PullStage::Failed;
        clock.advance(1000);
        j.finishedAt = clock.now();
        tracker.put(j);
    }
    QCOMPARE(tracker.finished().size(), 3);
    QCOMPARE(tracker.failed(2).first().id, "4");
}

void TestPullParts::settingsValidation()
{
    PullSettings s;
    QVERIFY(s.validate().isEmpty());
    s.namespaceName = "Bad_NS";
    QVERIFY(s.validate().startsWith("namespace"));
    s = PullSettings();
    s.harborPrefix = "harbor.local/mirror";
    QVERIFY(s.validate().contains("end with '/'"));
}

QTEST_GUILESS_MAIN(TestPullParts)
#include "tst_pullparts.moc"
