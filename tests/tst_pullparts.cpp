#include "pulls/failureclassifier.h"
#include "coretostring.h"
#include "pulls/harbortarget.h"
#include "pulls/pulljobname.h"
#include "core/dnsname.h"
#include "pulls/failurecause.h"
#include "pulls/pullmanifest.h"
#include "pulls/pullstatemapper.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace pw::core;
using namespace pw::pulls;

// The pull Job manifest, the mapping from Job and pod to stage, failure classification and
// the settings' rules, on hand-written Kubernetes objects (the tracker: tst_pulltracker).
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
