#pragma once

#include "core/pulljob.h"

#include <QObject>

#include <functional>

namespace pw::kube { class KubeClient; }

namespace pw::pulls {

// Gathers what explains a failed pull: the pod's events (and the Job's), and the log tail
// of the source and push containers. Calls back once with the pull filled in, whatever
// could be fetched.
namespace FailureDetails {
void collect(kube::KubeClient *client, const core::PullJob &job, int tailLines,
             QObject *context, std::function<void(const core::PullJob &)> done);
} // namespace FailureDetails

} // namespace pw::pulls
