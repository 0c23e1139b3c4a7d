#include "pullstatemapper.h"

#include "failureclassifier.h"
#include "pullmanifest.h"

#include <QJsonArray>

namespace {

using State = KubeContainer::State;

// The container's state as the kubelet reported it (none: not reported yet).
bool is(const KubeContainer *c, State state)
{
    return c && c->reported && c->state == state;
}

bool terminatedOk(const KubeContainer *c)
{
    return is(c, State::Terminated) && c->exitCode == 0;
}

// The waiting reason and message of a container that waits (empty otherwise).
QString waitingReason(const KubeContainer *c)
{
    return is(c, State::Waiting) ? c->reason : QString();
}

QString waitingMessage(const KubeContainer *c)
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
FailureReason podFailure(const KubePod &pod, QString *detail)
{
    const KubeContainer *source = pod.container(PullManifest::kSourceContainer);
    if (isPullError(waitingReason(source))) {
        *detail = waitingMessage(source);
        return FailureClassifier::classifyPullError(*detail + u' ' + waitingReason(source));
    }
    const KubeContainer *push = pod.container(PullManifest::kPushContainer);
    if (is(push, State::Terminated) && push->exitCode != 0) {
        *detail = QStringLiteral("push to Harbor exited with code %1").arg(push->exitCode);
        return FailureReason::PushFailed;
    }
    return FailureReason::None;
}

void observeFailedJob(const QJsonObject &failed, const KubePod &pod, PullObservation *o)
{
    const QString jobReason = failed.value(QStringLiteral("reason")).toString();
    QString detail;
    const FailureReason fromPod =
        pod.object().isEmpty() ? FailureReason::None : podFailure(pod, &detail);
    if (jobReason == u"DeadlineExceeded")
        o->reason = FailureReason::DeadlineExceeded;
    else if (fromPod != FailureReason::None)
        o->reason = fromPod;
    else if (jobReason == u"BackoffLimitExceeded")
        o->reason = FailureReason::BackoffLimitExceeded;
    else
        o->reason = FailureReason::Unknown;
    const QString jobMessage = failed.value(QStringLiteral("message")).toString();
    o->message = detail.isEmpty() ? jobMessage : detail;
    if (o->message.isEmpty())
        o->message = QStringLiteral("The pull job failed (%1)").arg(jobReason);
    o->stage = PullStage::Failed;
    o->jobFinished = true;
}

void observePod(const KubePod &pod, PullObservation *o)
{
    const QJsonObject scheduled = condition(pod.object(), QStringLiteral("PodScheduled"));
    if (scheduled.value(QStringLiteral("status")).toString() == u"False") {
        o->stage = PullStage::Waiting;
        o->unschedulable = scheduled.value(QStringLiteral("reason")).toString() == u"Unschedulable";
        o->waitingDetail = scheduled.value(QStringLiteral("message")).toString();
        o->message = PullStateMapper::kWaiting;
        return;
    }
    const KubeContainer *tools = pod.container(PullManifest::kToolsContainer);
    const KubeContainer *source = pod.container(PullManifest::kSourceContainer);
    const KubeContainer *push = pod.container(PullManifest::kPushContainer);
    if (terminatedOk(source)) {
        if (is(push, State::Running) || is(push, State::Terminated)) {
            o->stage = PullStage::Pushing;
            o->message = PullStateMapper::kPushing;
        } else {
            o->stage = PullStage::SourcePulled;
            o->message = PullStateMapper::kSourcePulled;
        }
        return;
    }
    if (!terminatedOk(tools)) {
        o->stage = PullStage::Waiting;
        o->message = PullStateMapper::kWaiting;
        return;
    }
    o->stage = PullStage::PullingSource;
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
    return observe(job, KubePod(pod));
}

PullObservation observe(const QJsonObject &job, const KubePod &pod)
{
    PullObservation o;
    o.node = pod.nodeName();
    o.podName = pod.name();
    const QJsonObject complete = condition(job, QStringLiteral("Complete"));
    if (complete.value(QStringLiteral("status")).toString() == u"True") {
        o.stage = PullStage::Completed;
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
        o.stage = PullStage::Initializing;
        o.message = kInitializing;
        return o;
    }
    observePod(pod, &o);
    return o;
}

} // namespace PullStateMapper
