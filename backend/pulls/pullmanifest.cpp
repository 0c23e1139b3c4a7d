#include "pullmanifest.h"

#include <QJsonArray>

namespace pw::pulls {

namespace PullManifest {

namespace {

const QString kToolsVolume = QStringLiteral("pullwatch-tools");
const QString kToolsPath = QStringLiteral("/pullwatch-tools");

QJsonObject toolsMount()
{
    return {{QStringLiteral("name"), kToolsVolume}, {QStringLiteral("mountPath"), kToolsPath}};
}

// Pod Security "restricted": no privilege escalation, no capabilities, the runtime's seccomp.
QJsonObject lockedDown()
{
    return {{QStringLiteral("allowPrivilegeEscalation"), false},
            {QStringLiteral("capabilities"), QJsonObject{{QStringLiteral("drop"), QJsonArray{QStringLiteral("ALL")}}}}};
}

QJsonObject resources(const QString &cpu, const QString &memory)
{
    const QJsonObject amounts{{QStringLiteral("cpu"), cpu}, {QStringLiteral("memory"), memory}};
    return {{QStringLiteral("requests"), amounts}, {QStringLiteral("limits"), amounts}};
}

// Copies a static busybox into the shared volume as `true`: a binary that exits 0 in any
// image, even one with no shell or no binaries at all (distroless, scratch).
QJsonObject toolsContainer(const PullSettings &s)
{
    return {{QStringLiteral("name"), kToolsContainer},
            {QStringLiteral("image"), s.toolsImage},
            {QStringLiteral("imagePullPolicy"), QStringLiteral("IfNotPresent")},
            {QStringLiteral("command"),
             QJsonArray{QStringLiteral("/bin/cp"), QStringLiteral("/bin/busybox"),
                        kToolsPath + QStringLiteral("/true")}},
            {QStringLiteral("volumeMounts"), QJsonArray{toolsMount()}},
            {QStringLiteral("securityContext"), lockedDown()},
            {QStringLiteral("resources"), resources(QStringLiteral("50m"), QStringLiteral("32Mi"))}};
}

// Pulling the source image onto the node proves the node can pull it.
QJsonObject sourceContainer(const core::ImageReference &source)
{
    return {{QStringLiteral("name"), kSourceContainer},
            {QStringLiteral("image"), source.toString()},
            {QStringLiteral("imagePullPolicy"), QStringLiteral("Always")},
            {QStringLiteral("command"), QJsonArray{kToolsPath + QStringLiteral("/true")}},
            {QStringLiteral("volumeMounts"), QJsonArray{toolsMount()}},
            {QStringLiteral("securityContext"), lockedDown()},
            {QStringLiteral("resources"), resources(QStringLiteral("10m"), QStringLiteral("16Mi"))}};
}

// docs/architecture.md §2: crane copy <source> <target> [--insecure] (the original's Harbor is
// plain HTTP on a NodePort).
QJsonArray craneArgs(const core::ImageReference &source, const QString &target,
                     const PullSettings &s)
{
    QJsonArray args{QStringLiteral("copy"), source.toString(), target};
    if (s.harborInsecure)
        args.append(QStringLiteral("--insecure"));
    return args;
}

QJsonObject pushContainer(const core::ImageReference &source, const QString &target,
                          const PullSettings &s)
{
    const QJsonObject secretMount{{QStringLiteral("name"), QStringLiteral("registry-credentials")},
                                  {QStringLiteral("mountPath"), QStringLiteral("/home/nonroot/.docker")},
                                  {QStringLiteral("readOnly"), true}};
    return {{QStringLiteral("name"), kPushContainer},
            {QStringLiteral("image"), s.craneImage},
            {QStringLiteral("imagePullPolicy"), QStringLiteral("IfNotPresent")},
            {QStringLiteral("args"),
             craneArgs(source, target, s)},
            {QStringLiteral("env"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("DOCKER_CONFIG")},
                                    {QStringLiteral("value"), QStringLiteral("/home/nonroot/.docker")}}}},
            {QStringLiteral("volumeMounts"), QJsonArray{secretMount}},
            {QStringLiteral("securityContext"), lockedDown()},
            {QStringLiteral("resources"), resources(QStringLiteral("500m"), QStringLiteral("512Mi"))}};
}

QJsonArray volumes(const PullSettings &s)
{
    const QJsonObject secret{
        {QStringLiteral("secretName"), s.credentialsSecret},
        {QStringLiteral("items"),
         QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral(".dockerconfigjson")},
                                {QStringLiteral("path"), QStringLiteral("config.json")}}}}};
    return {QJsonObject{{QStringLiteral("name"), kToolsVolume},
                        {QStringLiteral("emptyDir"), QJsonObject{}}},
            QJsonObject{{QStringLiteral("name"), QStringLiteral("registry-credentials")},
                        {QStringLiteral("secret"), secret}}};
}

} // namespace

QString selector()
{
    return kRoleLabel + u'=' + kRoleValue;
}

QJsonObject build(const core::ImageReference &source, const QString &target, const PullSettings &s,
                  const QString &retryOf, const QString &name)
{
    const QJsonObject labels{{kManagedByLabel, QStringLiteral("pullwatch")},
                             {kRoleLabel, kRoleValue}};
    QJsonObject annotations{{kSourceAnnotation, source.toString()},
                            {kImageAnnotation, source.familiarName()},
                            {kTagAnnotation, source.tagOrDigest()},
                            {kTargetAnnotation, target}};
    if (!retryOf.isEmpty())
        annotations.insert(kRetryOfAnnotation, retryOf);
    QJsonObject podSpec{
        {QStringLiteral("restartPolicy"), QStringLiteral("Never")},
        {QStringLiteral("initContainers"), QJsonArray{toolsContainer(s), sourceContainer(source)}},
        {QStringLiteral("containers"), QJsonArray{pushContainer(source, target, s)}},
        {QStringLiteral("volumes"), volumes(s)},
        {QStringLiteral("securityContext"),
         QJsonObject{{QStringLiteral("runAsNonRoot"), true},
                     {QStringLiteral("runAsUser"), 65532},
                     {QStringLiteral("runAsGroup"), 65532},
                     {QStringLiteral("seccompProfile"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("RuntimeDefault")}}}}}};
    if (!s.sourcePullSecret.isEmpty())
        podSpec.insert(QStringLiteral("imagePullSecrets"),
                       QJsonArray{QJsonObject{{QStringLiteral("name"), s.sourcePullSecret}}});
    const QJsonObject jobSpec{
        {QStringLiteral("backoffLimit"), s.backoffLimit},
        {QStringLiteral("activeDeadlineSeconds"), s.activeDeadlineSeconds},
        {QStringLiteral("ttlSecondsAfterFinished"), s.ttlSecondsAfterFinished},
        {QStringLiteral("template"),
         QJsonObject{{QStringLiteral("metadata"),
                      QJsonObject{{QStringLiteral("labels"), labels},
                                  {QStringLiteral("annotations"), annotations}}},
                     {QStringLiteral("spec"), podSpec}}}};
    return {{QStringLiteral("apiVersion"), QStringLiteral("batch/v1")},
            {QStringLiteral("kind"), QStringLiteral("Job")},
            {QStringLiteral("metadata"),
             QJsonObject{{name.isEmpty() ? QStringLiteral("generateName") : QStringLiteral("name"),
                          name.isEmpty() ? QStringLiteral("image-puller-") : name},
                         {QStringLiteral("namespace"), s.namespaceName},
                         {QStringLiteral("labels"), labels},
                         {QStringLiteral("annotations"), annotations}}},
            {QStringLiteral("spec"), jobSpec}};
}

} // namespace PullManifest

} // namespace pw::pulls
