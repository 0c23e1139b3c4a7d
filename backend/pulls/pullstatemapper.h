#pragma once

#include "core/pullstatus.h"
#include "kube/kubepod.h"

#include <QJsonObject>
#include <QString>

namespace pw::pulls {

// What a pull Job and its newest pod say about the pull, before it is merged into the
// tracked state (which keeps progress from going backwards).
struct PullObservation
{
    core::PullStage stage = core::PullStage::Initializing;
    QString message;
    core::FailureReason reason = core::FailureReason::None; // set when the Job has failed
    QString node;
    QString podName;
    bool jobFinished = false;
    // Waiting states that fail the pull after a grace period instead of the deadline.
    bool inPullBackOff = false;
    bool unschedulable = false;
    QString waitingDetail; // the kubelet's message while waiting
    // The registry's answer while the source is in ErrImagePull (the back-off message that
    // follows does not repeat it).
    QString pullError;
};

namespace PullStateMapper {
inline const QString kInitializing = QStringLiteral("Initializing pull job...");
inline const QString kWaiting = QStringLiteral("Waiting for the pull pod to start...");
inline const QString kPulling = QStringLiteral("Pulling source image...");
inline const QString kSourcePulled = QStringLiteral("Source image pulled, pushing to Harbor...");
inline const QString kPushing = QStringLiteral("Pushing to Harbor...");
inline const QString kCompleted = QStringLiteral("Image pushed to Harbor successfully");

// `pod` may be empty (no pod yet).
PullObservation observe(const QJsonObject &job, const kube::KubePod &pod);
PullObservation observe(const QJsonObject &job, const QJsonObject &pod);
} // namespace PullStateMapper

} // namespace pw::pulls
