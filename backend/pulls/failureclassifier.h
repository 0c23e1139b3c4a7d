#pragma once

#include "core/pullstatus.h"

#include <QString>

namespace pw::pulls {

// Why an image could not be pulled, from the kubelet's words (event or waiting message).
namespace FailureClassifier {
core::FailureReason classifyPullError(const QString &message);
} // namespace FailureClassifier

} // namespace pw::pulls
