#include "fieldvalidation.h"

#include <QJsonArray>
#include <QSet>

namespace pw::kubesim {

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

// Names the unknown fields of one object and, when pruning, drops them.
void check(QJsonObject &object, const Fields &known, const QString &prefix, bool prune,
           QStringList *out) {
    for (auto it = object.begin(); it != object.end();) {
        if (known.contains(it.key())) {
            ++it;
            continue;
        }
        *out << prefix + it.key();
        it = prune ? object.erase(it) : it + 1;
    }
}

} // namespace

QStringList unknownJobFields(QJsonObject *job, bool prune) {
    QStringList out;
    check(*job, jobFields(), QString(), prune, &out);
    QJsonObject meta = job->value(QStringLiteral("metadata")).toObject();
    check(meta, metaFields(), QStringLiteral("metadata."), prune, &out);
    QJsonObject spec = job->value(QStringLiteral("spec")).toObject();
    check(spec, jobSpecFields(), QStringLiteral("spec."), prune, &out);
    QJsonObject tmpl = spec.value(QStringLiteral("template")).toObject();
    check(tmpl, fields({"metadata", "spec"}), QStringLiteral("spec.template."), prune, &out);
    QJsonObject tmeta = tmpl.value(QStringLiteral("metadata")).toObject();
    check(tmeta, metaFields(), QStringLiteral("spec.template.metadata."), prune, &out);
    QJsonObject podSpec = tmpl.value(QStringLiteral("spec")).toObject();
    check(podSpec, podSpecFields(), QStringLiteral("spec.template.spec."), prune, &out);
    for (const char *key : {"initContainers", "containers"}) {
        if (!podSpec.contains(QLatin1String(key)))
            continue;
        QJsonArray list = podSpec.value(QLatin1String(key)).toArray();
        for (int i = 0; i < list.size(); ++i) {
            QJsonObject c = list[i].toObject();
            check(c, containerFields(),
                  QStringLiteral("spec.template.spec.%1[%2].").arg(QLatin1String(key)).arg(i),
                  prune, &out);
            list[i] = c;
        }
        podSpec.insert(QLatin1String(key), list);
    }
    if (!prune || out.isEmpty())
        return out;
    // Put the pruned levels back, only where they were present.
    if (tmpl.contains(QStringLiteral("metadata")))
        tmpl.insert(QStringLiteral("metadata"), tmeta);
    if (tmpl.contains(QStringLiteral("spec")))
        tmpl.insert(QStringLiteral("spec"), podSpec);
    if (spec.contains(QStringLiteral("template")))
        spec.insert(QStringLiteral("template"), tmpl);
    if (job->contains(QStringLiteral("spec")))
        job->insert(QStringLiteral("spec"), spec);
    if (job->contains(QStringLiteral("metadata")))
        job->insert(QStringLiteral("metadata"), meta);
    return out;
}

} // namespace FieldValidation

} // namespace pw::kubesim
