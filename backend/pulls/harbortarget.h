#pragma once

#include "pullsettings.h"

#include "core/imagereference.h"
#include "core/result.h"

namespace pw::pulls {

// Where in Harbor a source image is copied (docs/architecture.md §2, "The Harbor target").
namespace HarborTarget {
// as-written (the platform's rule): <prefix><the reference as typed>, ":latest" added when
// neither a tag nor a digest was typed — the platform rewrites pod images the same way.
// canonical: <prefix><registry host>[_<port>]/<path>[:tag][@digest] of the normalised
// reference, which no two sources share.
// The error says why the result would not be a valid reference (and which rule helps).
core::Result<QString> of(const core::ImageReference &source, const PullSettings &settings);

// "as-written" | "canonical"
QString ruleName(PullSettings::TargetRule rule);
bool parseRule(const QString &text, PullSettings::TargetRule *out);
} // namespace HarborTarget

} // namespace pw::pulls
