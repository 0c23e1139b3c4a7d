#include "pullstatemapper.h"

#include "failureclassifier.h"
#include "pullmanifest.h"

#include <QJsonArray>

namespace pw::pulls {

namespace {

using State = kube::KubeContainer::State;

// The container's state as the kubelet reported it (none: not reported yet).
bool is(const kube::KubeContainer *c, State state)
{
    return c && c->reported && c->state == state;
}

bool terminatedOk(const kube::KubeContainer *c)
{
    return is(c, State::Terminated) && c->exitCode == 0;
}

// The waiting reason and message of a container that waits (empty otherwise).
QString waitingReason(const kube::KubeContainer *c)
{
    return is(c, State::Waiting) ? c->reason : QString();
}

QString waitingMessage(const kube::KubeContainer *c)
{
    return is(c, State::Waiting) ? c->message : QString();
}

bool isPullError(const QString &waitingReason)
{
    return waitingReason == u"ErrImagePull" || waitingReason == u"ImagePullBackOff"
        || waitingReason == u"InvalidImageName" || waitingReason == u"ErrImageNeverPull"
        || waitingReason == u"RegistryUnavailable";
}

QJsonObject condition(const QJsonObject &object, const QString &type)
{
    const QJsonArray conditions =
        object.value(QStringLiteral("status")).toObject().value(QStringLiteral("conditions")).toArray();
    for (const QJsonValue &v : conditions) {
        const QJsonObject c = v.toObject();
        if (c.value(QStringLiteral("type")).toString() == type)
            return c;
    }
    return {};
}

// The push container failed, or the source could not be pulled: what the pod says about a
// failed Job.
core::FailureReason podFailure(const kube::KubePod &pod, QString *detail)
{
    const kube::KubeContainer *source = pod.container(PullManifest::kSourceContainer);
    if (isPullError(waitingReason(source))) {
        *detail = waitingMessage(source);
        return FailureClassifier::classifyPullError(*detail + u' ' + waitingReason(source));
    }
    const kube::KubeContainer *push = pod.container(PullManifest::kPushContainer);
    if (is(push, State::Terminated) && push->exitCode != 0) {
        *detail = QStringLiteral("push to Harbor exited with code %1").arg(push->exitCode);
        return core::FailureReason::PushFailed;
    }
    return core::FailureReason::None;
}

void observeFailedJob(const QJsonObject &failed, const kube::KubePod &pod, PullObservation *o)
{
    const QString jobReason = failed.value(QStringLiteral("reason")).toString();
    QString detail;
    const core::FailureReason fromPod =
        pod.object().isEmpty() ? core::FailureReason::None : podFailure(pod, &detail);
    if (jobReason == u"DeadlineExceeded")
        o->reason = core::FailureReason::DeadlineExceeded;
    else if (fromPod != core::FailureReason::None)
        o->reason = fromPod;
    else if (jobReason == u"BackoffLimitExceeded")
        o->reason = core::FailureReason::BackoffLimitExceeded;
    else
        o->reason = core::FailureReason::Unknown;
    const QString jobMessage = failed.value(QStringLiteral("message")).toString();
    o->message = detail.isEmpty() ? jobMessage : detail;
    if (o->message.isEmpty())
        o->message = QStringLiteral("The pull job failed (%1)").arg(jobReason);
    o->stage = core::PullStage::Failed;
    o->jobFinished = true;
}

void observePod(const kube::KubePod &pod, PullObservation *o)
{
    const QJsonObject scheduled = condition(pod.object(), QStringLiteral("PodScheduled"));
    if (scheduled.value(QStringLiteral("status")).toString() == u"False") {
        o->stage = core::PullStage::Waiting;
        o->unschedulable = scheduled.value(QStringLiteral("reason")).toString() == u"Unschedulable";
        o->waitingDetail = scheduled.value(QStringLiteral("message")).toString();
        o->message = PullStateMapper::kWaiting;
        return;
    }
    const kube::KubeContainer *tools = pod.container(PullManifest::kToolsContainer);
    const kube::KubeContainer *source = pod.container(PullManifest::kSourceContainer);
    const kube::KubeContainer *push = pod.container(PullManifest::kPushContainer);
    if (terminatedOk(source)) {
        if (is(push, State::Running) || is(push, State::Terminated)) {
            o->stage = core::PullStage::Pushing;
            o->message = PullStateMapper::kPushing;
        } else {
            o->stage = core::PullStage::SourcePulled;
            o->message = PullStateMapper::kSourcePulled;
        }
        return;
    }
    if (!terminatedOk(tools)) {
        o->stage = core::PullStage::Waiting;
        o->message = PullStateMapper::kWaiting;
        return;
    }
    o->stage = core::PullStage::PullingSource;
    o->message = PullStateMapper::kPulling;
    const QString reason = waitingReason(source);
    if (isPullError(reason)) {
        o->inPullBackOff = true;
        o->waitingDetail = waitingMessage(source);
        if (reason != u"ImagePullBackOff")
            o->pullError = o->waitingDetail;
        o->message = QStringLiteral("%1 (%2)").arg(PullStateMapper::kPulling, reason);
    }
}

} // namespace

namespace PullStateMapper {

PullObservation observe(const QJsonObject &job, const QJsonObject &pod)
{
    return observe(job, kube::KubePod(pod));
}

PullObservation observe(const QJsonObject &job, const kube::KubePod &pod)
{
    PullObservation o;
    o.node = pod.nodeName();
    o.podName = pod.name();
    const QJsonObject complete = condition(job, QStringLiteral("Complete"));
    if (complete.value(QStringLiteral("status")).toString() == u"True") {
        o.stage = core::PullStage::Completed;
        o.message = kCompleted;
        o.jobFinished = true;
        return o;
    }
    const QJsonObject failed = condition(job, QStringLiteral("Failed"));
    if (failed.value(QStringLiteral("status")).toString() == u"True") {
        observeFailedJob(failed, pod, &o);
        return o;
    }
    if (pod.object().isEmpty()) {
        o.stage = core::PullStage::Initializing;
        o.message = kInitializing;
        return o;
    }
    observePod(pod, &o);
    return o;
}

} // namespace PullStateMapper

} // namespace pw::pulls
