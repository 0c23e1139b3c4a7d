#pragma once

#include "core/pulljob.h"

#include <QObject>

#include <functional>

class KubeClient;

// Gathers what explains a failed pull: the pod's events (and the Job's), and the log tail
// of the source and push containers. Calls back once with the pull filled in, whatever
// could be fetched.
namespace FailureDetails {
void collect(KubeClient *client, const PullJob &job, int tailLines,
             QObject *context, std::function<void(const PullJob &)> done);
} // namespace FailureDetails
