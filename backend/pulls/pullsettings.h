#pragma once

#include "core/registrypolicy.h"

#include <QString>

namespace pw::pulls {

// Everything about the pull Job that an administrator may want to change (docs/architecture.md §2).
struct PullSettings
{
    // How the Harbor target is formed from the source (harbortarget.h).
    enum class TargetRule { AsWritten, Canonical };

    QString namespaceName = QStringLiteral("default");
    // Target prefix: <harborPrefix><reference as written> (or the canonical rule).
    QString harborPrefix = QStringLiteral("harbor.local/mirror/");
    TargetRule targetRule = TargetRule::AsWritten;
    // Which source registries may be named (loopback, link-local, private ranges refused).
    core::RegistryPolicy registryPolicy;
    // Pinned images: crane for the copy, a static busybox for the no-op binary.
    QString craneImage = QStringLiteral(
        "gcr.io/go-containerregistry/crane:v0.20.2");
    QString toolsImage = QStringLiteral("docker.io/library/busybox:1.36.1-musl");
    // Secret with a docker config.json (key .dockerconfigjson) for crane to push with.
    QString credentialsSecret = QStringLiteral("harbor-credentials");
    // crane --insecure: Harbor over plain HTTP (or an untrusted certificate), as on a NodePort.
    bool harborInsecure = false;
    // A docker-registry Secret the kubelet pulls a private source image with (imagePullSecrets).
    QString sourcePullSecret;
    int backoffLimit = 2;
    int activeDeadlineSeconds = 1800;
    int ttlSecondsAfterFinished = 3600;
    // A pull stuck in ImagePullBackOff (or unschedulable) fails after this grace.
    int pullBackOffGraceSeconds = 90;
    // How many log lines of each container a failure keeps.
    int logTailLines = 50;
    int historyLimit = 1000;

    // Empty when valid, else what is wrong, naming the setting.
    QString validate() const;
};

} // namespace pw::pulls
