#pragma once

#include "core/pullstatus.h"

#include <QString>

// Why an image could not be pulled, from the kubelet's words (event or waiting message).
namespace FailureClassifier {
FailureReason classifyPullError(const QString &message);
} // namespace FailureClassifier
