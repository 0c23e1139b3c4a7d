#include "fieldvalidation.h"

#include <QJsonArray>
#include <QSet>

namespace FieldValidation {

namespace {

using Fields = QSet<QString>;

Fields fields(std::initializer_list<const char *> names) {
    Fields out;
    for (const char *n : names)
        out.insert(QLatin1String(n));
    return out;
}

const Fields &jobFields() {
    static const Fields f = fields({"apiVersion", "kind", "metadata", "spec", "status"});
    return f;
}

const Fields &metaFields() {
    static const Fields f = fields(
        {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
         "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
         "annotations", "ownerReferences", "finalizers", "managedFields"});
    return f;
}

const Fields &jobSpecFields() {
    static const Fields f =
        fields({"parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy",
                "successPolicy", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
                "selector", "manualSelector", "template", "ttlSecondsAfterFinished",
                "completionMode", "suspend", "podReplacementPolicy", "managedBy"});
    return f;
}

const Fields &podSpecFields() {
    static const Fields f = fields({"volumes",
                                    "initContainers",
                                    "containers",
                                    "ephemeralContainers",
                                    "restartPolicy",
                                    "terminationGracePeriodSeconds",
                                    "activeDeadlineSeconds",
                                    "dnsPolicy",
                                    "nodeSelector",
                                    "serviceAccountName",
                                    "serviceAccount",
                                    "automountServiceAccountToken",
                                    "nodeName",
                                    "hostNetwork",
                                    "hostPID",
                                    "hostIPC",
                                    "shareProcessNamespace",
                                    "securityContext",
                                    "imagePullSecrets",
                                    "hostname",
                                    "subdomain",
                                    "affinity",
                                    "schedulerName",
                                    "tolerations",
                                    "hostAliases",
                                    "priorityClassName",
                                    "priority",
                                    "dnsConfig",
                                    "readinessGates",
                                    "runtimeClassName",
                                    "enableServiceLinks",
                                    "preemptionPolicy",
                                    "overhead",
                                    "topologySpreadConstraints",
                                    "setHostnameAsFQDN",
                                    "os",
                                    "hostUsers",
                                    "schedulingGates",
                                    "resourceClaims",
                                    "resources"});
    return f;
}

const Fields &containerFields() {
    static const Fields f = fields({"name",
                                    "image",
                                    "command",
                                    "args",
                                    "workingDir",
                                    "ports",
                                    "envFrom",
                                    "env",
                                    "resources",
                                    "resizePolicy",
                                    "restartPolicy",
                                    "volumeMounts",
                                    "volumeDevices",
                                    "livenessProbe",
                                    "readinessProbe",
                                    "startupProbe",
                                    "lifecycle",
                                    "terminationMessagePath",
                                    "terminationMessagePolicy",
                                    "imagePullPolicy",
                                    "securityContext",
                                    "stdin",
                                    "stdinOnce",
                                    "tty"});
    return f;
}

void check(const QJsonObject &object, const Fields &known, const QString &prefix,
           QStringList *out) {
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!known.contains(it.key()))
            *out << prefix + it.key();
}

} // namespace

QStringList unknownJobFields(const QJsonObject &job) {
    QStringList out;
    check(job, jobFields(), QString(), &out);
    check(job.value(QStringLiteral("metadata")).toObject(), metaFields(),
          QStringLiteral("metadata."), &out);
    const QJsonObject spec = job.value(QStringLiteral("spec")).toObject();
    check(spec, jobSpecFields(), QStringLiteral("spec."), &out);
    const QJsonObject tmpl = spec.value(QStringLiteral("template")).toObject();
    check(tmpl, fields({"metadata", "spec"}), QStringLiteral("spec.template."), &out);
    check(tmpl.value(QStringLiteral("metadata")).toObject(), metaFields(),
          QStringLiteral("spec.template.metadata."), &out);
    const QJsonObject podSpec = tmpl.value(QStringLiteral("spec")).toObject();
    check(podSpec, podSpecFields(), QStringLiteral("spec.template.spec."), &out);
    for (const char *key : {"initContainers", "containers"}) {
        const QJsonArray list = podSpec.value(QLatin1String(key)).toArray();
        for (int i = 0; i < list.size(); ++i)
            check(list[i].toObject(), containerFields(),
                  QStringLiteral("spec.template.spec.%1[%2].").arg(QLatin1String(key)).arg(i),
                  &out);
    }
    return out;
}

} // namespace FieldValidation
