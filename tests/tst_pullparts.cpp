#include "pulls/failureclassifier.h"
#include "coretostring.h"
#include "pulls/harbortarget.h"
#include "pulls/pulljobname.h"
#include "core/dnsname.h"
#include "pulls/failurecause.h"
#include "pulls/pullmanifest.h"
#include "pulls/pullstatemapper.h"
#include "pulls/pulltracker.h"

#include "testclock.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <random>

// The pull Job manifest, the mapping from Job and pod to stage, failure classification and
// the tracker's rules, on hand-written Kubernetes objects.
class TestPullParts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void manifest();
    void jobNames();
    void manifestInsecureHarborAndSourceSecret();
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
    void trackerFindsPullsByTarget();
    void trackerTrimsOldestFinished_data();
    void trackerTrimsOldestFinished();
    void settingsValidation();
};

void TestPullParts::manifest()
{
    const auto ref = ImageReference::parse(u"nvcr.io/nvidia/pytorch:24.05-py3");
    QVERIFY(ref.ok());
    PullSettings s;
    s.namespaceName = "pulls";
    const QJsonObject job = PullManifest::build(ref.value(), "harbor.local/mirror/nvcr.io/nvidia/pytorch:24.05-py3", s,
                                                "image-puller-old");
    QCOMPARE(job["apiVersion"].toString(), "batch/v1");
    QCOMPARE(job["kind"].toString(), "Job");
    const QJsonObject meta = job["metadata"].toObject();
    QCOMPARE(meta["generateName"].toString(), "image-puller-");
    QVERIFY(!meta.contains("name"));
    const QJsonObject named = PullManifest::build(ref.value(), "t/x:1", s, {}, "image-puller-0123456789ab-1");
    QCOMPARE(named["metadata"].toObject()["name"].toString(), "image-puller-0123456789ab-1");
    QVERIFY(!named["metadata"].toObject().contains("generateName"));
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
    QCOMPARE(args[2].toString(), "harbor.local/mirror/nvcr.io/nvidia/pytorch:24.05-py3");
    QCOMPARE(meta["annotations"].toObject()["pullwatch.io/harbor-target"].toString(),
             "harbor.local/mirror/nvcr.io/nvidia/pytorch:24.05-py3");
    QVERIFY(push["image"].toString().contains(":v"));
    // By default: TLS to Harbor, and no pull secret for the source.
    QCOMPARE(args.size(), 3);
    QVERIFY(!pod.contains("imagePullSecrets"));
}

void TestPullParts::jobNames()
{
    const QString stem = PullJobName::stem("docker.io/library/nginx:1.27", "harbor.local/mirror/nginx:1.27");
    QVERIFY(QRegularExpression("^image-puller-[0-9a-f]{12}-$").match(stem).hasMatch());
    // Every replica computes the same stem; another source or target gets another.
    QCOMPARE(PullJobName::stem("docker.io/library/nginx:1.27", "harbor.local/mirror/nginx:1.27"), stem);
    QVERIFY(PullJobName::stem("evil.example.com/library/nginx:1.27", "harbor.local/mirror/nginx:1.27") != stem);
    QVERIFY(PullJobName::stem("docker.io/library/nginx:1.27", "harbor.local/mirror/docker.io/library/nginx:1.27") != stem);
    QCOMPARE(PullJobName::next(stem, {}), 1);
    QCOMPARE(PullJobName::next(stem, {stem + "1", stem + "3", "image-puller-other-9", stem + "x"}), 4);
    QVERIFY(DnsName::labelError(stem + "100", u"job").isEmpty()); // a Job name fits a label
}

void TestPullParts::manifestInsecureHarborAndSourceSecret()
{
    const auto ref = ImageReference::parse(u"private.example.com/team/app:7");
    QVERIFY(ref.ok());
    PullSettings s;
    s.harborInsecure = true;
    s.sourcePullSecret = "private-source";
    QVERIFY(s.validate().isEmpty());
    const QJsonObject job = PullManifest::build(ref.value(), "harbor.local/mirror/private.example.com/team/app:7", s);
    const QJsonObject pod = job["spec"].toObject()["template"].toObject()["spec"].toObject();
    QCOMPARE(pod["imagePullSecrets"].toArray(), (QJsonArray{QJsonObject{{"name", "private-source"}}}));
    const QJsonArray args = pod["containers"].toArray().first().toObject()["args"].toArray();
    QCOMPARE(args, (QJsonArray{"copy", "private.example.com/team/app:7",
                               "harbor.local/mirror/private.example.com/team/app:7", "--insecure"}));
    s.sourcePullSecret = "Not_A_Name";
    QVERIFY2(s.validate().startsWith("source pull secret"), qPrintable(s.validate()));
}

void TestPullParts::harborTarget_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target"); // or "error: <part of the message>"
    const QString digest = "sha256:" + QString(64, u'b');
    const QString platform = "192.168.110.1:30003/library/";
    // The platform's rule: the prefix + the image as written, as its pod rewriter does.
    QTest::newRow("as-written official") << platform << "as-written" << "nginx:1.27"
                                         << "192.168.110.1:30003/library/nginx:1.27";
    QTest::newRow("as-written foreign registry") << platform << "as-written" << "nvcr.io/nvidia/pytorch:24.05-py3"
                                                 << "192.168.110.1:30003/library/nvcr.io/nvidia/pytorch:24.05-py3";
    QTest::newRow("as-written no tag") << platform << "as-written" << "nginx" << "192.168.110.1:30003/library/nginx:latest";
    QTest::newRow("as-written digest") << platform << "as-written" << "nginx@" + digest
                                       << "192.168.110.1:30003/library/nginx@" + digest;
    QTest::newRow("as-written docker.io spelled out") << platform << "as-written" << "docker.io/library/nginx:1.27"
                                                      << "192.168.110.1:30003/library/docker.io/library/nginx:1.27";
    QTest::newRow("as-written foreign library") << platform << "as-written" << "evil.example.com/library/nginx:1.27"
                                                << "192.168.110.1:30003/library/evil.example.com/library/nginx:1.27";
    QTest::newRow("as-written port host") << platform << "as-written" << "registry.example.com:5000/x/y:2"
                                          << "error: needs --harbor-target-rule canonical";
    // Canonical: registry host + normalised path; never the same for two sources.
    QTest::newRow("canonical official") << platform << "canonical" << "nginx:1.27"
                                        << "192.168.110.1:30003/library/docker.io/library/nginx:1.27";
    QTest::newRow("canonical foreign library") << platform << "canonical" << "evil.example.com/library/nginx:1.27"
                                               << "192.168.110.1:30003/library/evil.example.com/library/nginx:1.27";
    QTest::newRow("canonical no tag") << "harbor.local/mirror/" << "canonical" << "quay.io/org/app"
                                      << "harbor.local/mirror/quay.io/org/app:latest";
    QTest::newRow("canonical port host") << "harbor.local/mirror/" << "canonical" << "registry.example.com:5000/x/y:2"
                                         << "harbor.local/mirror/registry.example.com_5000/x/y:2";
    QTest::newRow("canonical host case") << "harbor.local/mirror/" << "canonical" << "Quay.IO/org/app:1"
                                         << "harbor.local/mirror/quay.io/org/app:1";
    QTest::newRow("canonical tag and digest") << "harbor.local/mirror/" << "canonical" << "nginx:1@" + digest
                                              << "harbor.local/mirror/docker.io/library/nginx:1@" + digest;
}

void TestPullParts::harborTarget()
{
    QFETCH(QString, prefix);
    QFETCH(QString, rule);
    QFETCH(QString, source);
    QFETCH(QString, target);
    const auto ref = ImageReference::parse(source);
    QVERIFY(ref.ok());
    PullSettings s;
    s.harborPrefix = prefix;
    QVERIFY(HarborTarget::parseRule(rule, &s.targetRule));
    QCOMPARE(HarborTarget::ruleName(s.targetRule), rule);
    const auto result = HarborTarget::of(ref.value(), s);
    if (target.startsWith("error: ")) {
        QVERIFY(!result.ok());
        QVERIFY2(result.error().contains(target.mid(7)), qPrintable(result.error()));
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value(), target);
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
    TestClock clock;
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

// ownerOf and the next Job number look only at the pulls of one target (an index kept through
// completion, history trimming and a changed target), not at every pull.
void TestPullParts::trackerFindsPullsByTarget()
{
    TestClock clock;
    PullTracker tracker(&clock, 2);
    auto pull = [&](const QString &id, const QString &target, PullStatus status) {
        PullJob j;
        j.id = id;
        j.target = target;
        j.status = status;
        clock.advance(1000);
        if (status != PullStatus::Pulling)
            j.finishedAt = clock.now();
        tracker.put(j);
    };
    pull("x-1", "harbor/x:1", PullStatus::Completed);
    pull("y-1", "harbor/y:1", PullStatus::Pulling);
    pull("x-2", "harbor/x:1", PullStatus::Completed);
    QCOMPARE(tracker.ownerOf("harbor/x:1")->id, "x-2"); // the newest completed one
    QCOMPARE(tracker.ownerOf("harbor/y:1")->id, "y-1");
    QCOMPARE(tracker.idsOf("harbor/y:1"), QList<QString>{"y-1"});
    pull("x-3", "harbor/x:1", PullStatus::Pulling);
    QCOMPARE(tracker.ownerOf("harbor/x:1")->id, "x-3"); // the active one first
    // Two finished pulls are kept: x-1, the oldest, is trimmed and forgotten by its target too.
    pull("z-1", "harbor/z:1", PullStatus::Failed);
    QVERIFY(!tracker.find("x-1"));
    QList<QString> xs = tracker.idsOf("harbor/x:1");
    std::sort(xs.begin(), xs.end());
    QCOMPARE(xs, (QList<QString>{"x-2", "x-3"}));
    QVERIFY(!tracker.ownerOf("harbor/z:1")); // failed: fills nothing
    // A pull whose target changes moves with it.
    PullJob moved = *tracker.find("y-1");
    moved.target = "harbor/y:2";
    tracker.put(moved);
    QVERIFY(tracker.idsOf("harbor/y:1").isEmpty());
    QCOMPARE(tracker.ownerOf("harbor/y:2")->id, "y-1");
    QCOMPARE(PullJobName::next("x-", tracker.idsOf("harbor/x:1")), 4);
}

void TestPullParts::trackerTrimsOldestFinished_data()
{
    QTest::addColumn<int>("pulls");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("distinctTimes"); // finish times drawn from this many values: ties
    QTest::addColumn<uint>("seed");
    QTest::newRow("under the limit") << 5 << 10 << 5 << 1u;
    QTest::newRow("exactly the limit") << 10 << 10 << 10 << 2u;
    QTest::newRow("shuffled, limit 1") << 20 << 1 << 20 << 3u;
    QTest::newRow("shuffled, limit 7") << 200 << 7 << 200 << 4u;
    QTest::newRow("shuffled, many ties") << 200 << 13 << 5 << 5u;
    QTest::newRow("shuffled, large") << 2000 << 100 << 1500 << 6u;
}

// Finishing pulls in any finish-time order keeps the `limit` newest by (finish time, id) and
// forgets the others oldest first, exactly as sorting every finished pull and cutting the
// list at the limit does (the reference below).
void TestPullParts::trackerTrimsOldestFinished()
{
    QFETCH(int, pulls);
    QFETCH(int, limit);
    QFETCH(int, distinctTimes);
    QFETCH(uint, seed);
    TestClock clock;
    PullTracker tracker(&clock, limit);
    QRandomGenerator random(seed);
    const QDateTime start = clock.now();
    QList<PullJob> all;
    for (int i = 0; i < pulls; ++i) {
        PullJob j;
        j.id = QStringLiteral("p-%1").arg(i, 5, 10, QLatin1Char('0'));
        j.target = QStringLiteral("harbor/t:%1").arg(i % 7);
        j.status = i % 3 ? PullStatus::Completed : PullStatus::Failed;
        j.stage = i % 3 ? PullStage::Completed : PullStage::Failed;
        j.finishedAt = start.addSecs(random.bounded(distinctTimes));
        all.append(j);
    }
    std::shuffle(all.begin(), all.end(), std::mt19937(seed));
    // An active pull is never trimmed.
    PullJob active;
    active.id = QStringLiteral("active");
    active.target = QStringLiteral("harbor/t:0");
    active.status = PullStatus::Pulling;
    tracker.put(active);

    const auto newerFirst = [](const PullJob &a, const PullJob &b) {
        return a.finishedAt != b.finishedAt ? a.finishedAt > b.finishedAt : a.id > b.id;
    };
    QList<PullJob> reference; // newest first, cut at the limit after every finish
    QList<QString> expectedEvictions;
    QList<QString> evictions;
    QSet<QString> present;
    for (const PullJob &job : std::as_const(all)) {
        reference.append(job);
        std::sort(reference.begin(), reference.end(), newerFirst);
        for (qsizetype i = limit; i < reference.size(); ++i)
            expectedEvictions.append(reference[i].id);
        reference.resize(std::min<qsizetype>(reference.size(), limit));

        tracker.put(job);
        present.insert(job.id);
        for (auto it = present.begin(); it != present.end();) {
            if (tracker.find(*it)) {
                ++it;
                continue;
            }
            evictions.append(*it);
            it = present.erase(it);
        }
        QCOMPARE(evictions, expectedEvictions);
    }
    QList<QString> expectedKept;
    for (const PullJob &job : std::as_const(reference))
        expectedKept.append(job.id);
    QList<QString> kept;
    const QList<PullJob> finished = tracker.finished();
    for (const PullJob &job : finished)
        kept.append(job.id);
    QCOMPARE(kept, expectedKept);
    QCOMPARE(evictions.size(), std::max(0, pulls - limit));
    QList<QString> expectedFailed;
    for (const PullJob &job : std::as_const(reference))
        if (job.status == PullStatus::Failed && expectedFailed.size() < 3)
            expectedFailed.append(job.id);
    QList<QString> failed;
    for (const PullJob &job : tracker.failed(3))
        failed.append(job.id);
    QCOMPARE(failed, expectedFailed);
    QVERIFY(tracker.find(QStringLiteral("active")));
    QCOMPARE(tracker.activeCount(), 1);
    // The by-target index forgets what was trimmed.
    qsizetype indexed = 0;
    for (int t = 0; t < 7; ++t) {
        const QList<QString> ids = tracker.idsOf(QStringLiteral("harbor/t:%1").arg(t));
        for (const QString &id : ids)
            QVERIFY2(tracker.find(id), qPrintable(id));
        indexed += ids.size();
    }
    QCOMPARE(indexed, kept.size() + 1);

    // A history page found from its place in the order is the page the query cuts from the
    // whole list: each status, from the top and from the middle (with and without the id).
    const auto idsOf = [](const QList<PullJob> &jobs) {
        QList<QString> out;
        for (const PullJob &job : jobs)
            out.append(job.id);
        return out;
    };
    const PullJob middle = finished.value(finished.size() / 2);
    for (const auto which : {PullHistoryQuery::Which::All, PullHistoryQuery::Which::Completed,
                             PullHistoryQuery::Which::Failed}) {
        for (int place = 0; place < 3; ++place) {
            PullHistoryQuery q;
            q.which = which;
            q.limit = 7;
            if (place > 0)
                q.before = middle.finishedAt;
            if (place > 1)
                q.beforeId = middle.id;
            QCOMPARE(idsOf(tracker.finishedPage(q)), idsOf(q.apply(finished)));
        }
    }
}

void TestPullParts::trackerKeepsProgressAndFinality()
{
    TestClock clock;
    PullTracker tracker(&clock, 3);
    QSignalSpy changed(&tracker, &PullTracker::changed);
    QSignalSpy finished(&tracker, &PullTracker::finishedPull);
    PullJob base;
    base.id = "a";
    base.source = "docker.io/library/nginx:1";
    base.target = "harbor.local/mirror/nginx:1";
    PullObservation o;
    o.stage = PullStage::Pushing;
    o.message = "Pushing to Harbor...";
    QCOMPARE(tracker.apply(base, o).progress, 80);
    // A retried pod starts over at pulling-source: progress does not go backwards.
    o.stage = PullStage::PullingSource;
    o.message = "Pulling source image...";
    QCOMPARE(tracker.apply(base, o).progress, 80);
    QCOMPARE(tracker.ownerOf("harbor.local/mirror/nginx:1")->id, "a");
    QVERIFY(!tracker.ownerOf("harbor.local/mirror/nginx:2"));
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
    QVERIFY(!tracker.ownerOf("harbor.local/mirror/nginx:1")); // a failed pull filled nothing
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
