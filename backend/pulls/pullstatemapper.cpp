#include "pullstatemapper.h"

#include "failureclassifier.h"
#include "pullmanifest.h"

#include <QJsonArray>

namespace {

QJsonObject containerStatus(const QJsonObject &pod, const QString &listName, const QString &name)
{
    const QJsonArray statuses =
        pod.value(QStringLiteral("status")).toObject().value(listName).toArray();
    for (const QJsonValue &v : statuses)
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    return {};
}

QJsonObject stateOf(const QJsonObject &status, const QString &which)
{
    return status.value(QStringLiteral("state")).toObject().value(which).toObject();
}

bool has(const QJsonObject &status, const QString &which)
{
    return status.value(QStringLiteral("state")).toObject().contains(which);
}

bool terminatedOk(const QJsonObject &status)
{
    return has(status, QStringLiteral("terminated"))
        && stateOf(status, QStringLiteral("terminated")).value(QStringLiteral("exitCode")).toInt(-1) == 0;
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
FailureReason podFailure(const QJsonObject &pod, QString *detail)
{
    const QJsonObject source =
        containerStatus(pod, QStringLiteral("initContainerStatuses"), PullManifest::kSourceContainer);
    const QJsonObject waiting = stateOf(source, QStringLiteral("waiting"));
    if (isPullError(waiting.value(QStringLiteral("reason")).toString())) {
        *detail = waiting.value(QStringLiteral("message")).toString();
        return FailureClassifier::classifyPullError(*detail + u' '
                                                    + waiting.value(QStringLiteral("reason")).toString());
    }
    const QJsonObject push =
        containerStatus(pod, QStringLiteral("containerStatuses"), PullManifest::kPushContainer);
    const QJsonObject terminated = stateOf(push, QStringLiteral("terminated"));
    if (!terminated.isEmpty() && terminated.value(QStringLiteral("exitCode")).toInt() != 0) {
        *detail = QStringLiteral("push to Harbor exited with code %1")
                      .arg(terminated.value(QStringLiteral("exitCode")).toInt());
        return FailureReason::PushFailed;
    }
    return FailureReason::None;
}

void observeFailedJob(const QJsonObject &failed, const QJsonObject &pod, PullObservation *o)
{
    const QString jobReason = failed.value(QStringLiteral("reason")).toString();
    QString detail;
    const FailureReason fromPod = pod.isEmpty() ? FailureReason::None : podFailure(pod, &detail);
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

void observePod(const QJsonObject &pod, PullObservation *o)
{
    const QJsonObject scheduled = condition(pod, QStringLiteral("PodScheduled"));
    if (scheduled.value(QStringLiteral("status")).toString() == u"False") {
        o->stage = PullStage::Waiting;
        o->unschedulable = scheduled.value(QStringLiteral("reason")).toString() == u"Unschedulable";
        o->waitingDetail = scheduled.value(QStringLiteral("message")).toString();
        o->message = PullStateMapper::kWaiting;
        return;
    }
    const QJsonObject tools =
        containerStatus(pod, QStringLiteral("initContainerStatuses"), PullManifest::kToolsContainer);
    const QJsonObject source =
        containerStatus(pod, QStringLiteral("initContainerStatuses"), PullManifest::kSourceContainer);
    const QJsonObject push =
        containerStatus(pod, QStringLiteral("containerStatuses"), PullManifest::kPushContainer);
    if (terminatedOk(source)) {
        if (has(push, QStringLiteral("running")) || has(push, QStringLiteral("terminated"))) {
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
    const QJsonObject waiting = stateOf(source, QStringLiteral("waiting"));
    const QString reason = waiting.value(QStringLiteral("reason")).toString();
    if (isPullError(reason)) {
        o->inPullBackOff = true;
        o->waitingDetail = waiting.value(QStringLiteral("message")).toString();
        if (reason != u"ImagePullBackOff")
            o->pullError = o->waitingDetail;
        o->message = QStringLiteral("%1 (%2)").arg(PullStateMapper::kPulling, reason);
    }
}

} // namespace

namespace PullStateMapper {

PullObservation observe(const QJsonObject &job, const QJsonObject &pod)
{
    PullObservation o;
    const QJsonObject podSpec = pod.value(QStringLiteral("spec")).toObject();
    o.node = podSpec.value(QStringLiteral("nodeName")).toString();
    o.podName = pod.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString();
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
    if (pod.isEmpty()) {
        o.stage = PullStage::Initializing;
        o.message = kInitializing;
        return o;
    }
    observePod(pod, &o);
    return o;
}

} // namespace PullStateMapper
