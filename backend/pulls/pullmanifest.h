#pragma once

#include "pullsettings.h"

#include "core/imagereference.h"

#include <QJsonObject>

namespace pw::pulls {

// The batch/v1 Job that pulls one image and copies it into Harbor (docs/architecture.md §2).
namespace PullManifest {
inline const QString kManagedByLabel = QStringLiteral("app.kubernetes.io/managed-by");
inline const QString kRoleLabel = QStringLiteral("pullwatch.io/role");
inline const QString kRoleValue = QStringLiteral("image-pull");
inline const QString kSourceAnnotation = QStringLiteral("pullwatch.io/source-image");
inline const QString kImageAnnotation = QStringLiteral("pullwatch.io/image");
inline const QString kTagAnnotation = QStringLiteral("pullwatch.io/tag");
inline const QString kTargetAnnotation = QStringLiteral("pullwatch.io/harbor-target");
inline const QString kRetryOfAnnotation = QStringLiteral("pullwatch.io/retry-of");
inline const QString kToolsContainer = QStringLiteral("tools");
inline const QString kSourceContainer = QStringLiteral("pull-source");
inline const QString kPushContainer = QStringLiteral("push-to-harbor");

// The label selector that finds Pullwatch's Jobs and their pods.
QString selector();
// `target` is the Harbor reference the image is copied to (harbortarget.h); `name` the Job's
// name (pulljobname.h), or empty for a generated one.
QJsonObject build(const core::ImageReference &source, const QString &target,
                  const PullSettings &settings,
                  const QString &retryOf = {}, const QString &name = {});
} // namespace PullManifest

} // namespace pw::pulls
