#pragma once

#include "pullstatus.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace pw::core {

// A Kubernetes event about a pull's pod, as shown with a failure.
struct PullEvent
{
    QString type; // Normal | Warning
    QString reason;
    QString message;
    int count = 1;
    QDateTime time;

    QJsonObject toJson() const;
    static PullEvent fromJson(const QJsonObject &object);
    bool operator==(const PullEvent &other) const;
};

// One image pull: the state of one pull Job as every face of Pullwatch shows it.
// A plain value: subscribers get copies, never shared mutable objects.
struct PullJob
{
    QString id;        // the Job's name
    QString imageName; // as requested, without tag: "nginx", "nvcr.io/nvidia/pytorch"
    QString tag;       // "1.27", or "sha256:…" for a digest reference
    QString source;    // normalised source reference: docker.io/library/nginx:1.27
    QString target;    // the Harbor reference it is copied to
    QString namespaceName;
    QString podName;
    QString node;
    PullStatus status = PullStatus::Pending;
    PullStage stage = PullStage::Initializing;
    int progress = 0;
    QString message;
    FailureReason reason = FailureReason::None;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime finishedAt;
    QString retryOf;   // the pull this one retries
    QString retriedBy; // the pull that retried this one
    QList<PullEvent> events;
    QString sourceLogTail; // init container pull-source
    QString pushLogTail;   // container push-to-harbor

    // "name:tag", or "name@sha256:…" for a digest.
    QString imageReference() const;
    bool isTerminal() const { return PullStates::isTerminal(status); }

    // The list shape of /images/pull-active and /images/pull-failed (docs/architecture.md §3).
    QJsonObject toSummaryJson() const;
    // GET /images/pull/{job_id}: the summary plus events, log tails and links.
    QJsonObject toDetailJson() const;
    // The WebSocket status message (docs/architecture.md §4).
    QJsonObject toStatusMessage() const;
    // Reads the summary, detail or status-message shape; unknown fields are ignored.
    static PullJob fromJson(const QJsonObject &object);

    bool operator==(const PullJob &other) const;
    bool operator!=(const PullJob &other) const { return !(*this == other); }
};

} // namespace pw::core
