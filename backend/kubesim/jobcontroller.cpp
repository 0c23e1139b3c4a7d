#include "jobcontroller.h"

#include "jobrunner.h"
#include "kubejson.h"
#include "kubesimlog.h"
#include "objectstore.h"
#include "simcontext.h"

#include <QRegularExpression>

#include <QJsonArray>

namespace pw::kubesim {

JobController::JobController(SimContext *context, QObject *parent)
    : QObject(parent)
    , m_ctx(context) {}

QString JobController::validate(const QJsonObject &job) const {
    const QString name = KubeJson::at(job, QStringLiteral("metadata.name")).toString();
    QStringList problems;
    if (name.size() > 63 || !QRegularExpression(QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))
                                 .match(name)
                                 .hasMatch())
        problems << QStringLiteral("metadata.name: Invalid value: \"%1\": a lowercase RFC 1123 "
                                   "label must consist of lower case alphanumeric characters or "
                                   "'-', and must start and end with an alphanumeric character")
                        .arg(name);
    const QJsonObject podSpec = KubeJson::at(job, QStringLiteral("spec.template.spec")).toObject();
    const QJsonArray containers = podSpec.value(QStringLiteral("containers")).toArray();
    if (containers.isEmpty())
        problems << QStringLiteral("spec.template.spec.containers: Required value");
    for (const char *key : {"initContainers", "containers"}) {
        const QJsonArray list = podSpec.value(QLatin1String(key)).toArray();
        for (int i = 0; i < list.size(); ++i) {
            const QJsonObject c = list[i].toObject();
            if (c.value(QStringLiteral("name")).toString().isEmpty())
                problems << QStringLiteral("spec.template.spec.%1[%2].name: Required value")
                                .arg(QLatin1String(key))
                                .arg(i);
            if (c.value(QStringLiteral("image")).toString().isEmpty())
                problems << QStringLiteral("spec.template.spec.%1[%2].image: Required value")
                                .arg(QLatin1String(key))
                                .arg(i);
        }
    }
    const QString restart = podSpec.value(QStringLiteral("restartPolicy")).toString();
    if (restart != QStringLiteral("Never") && restart != QStringLiteral("OnFailure"))
        problems << QStringLiteral("spec.template.spec.restartPolicy: Required value: valid "
                                   "values: \"OnFailure\", \"Never\"");
    if (problems.isEmpty())
        return {};
    return QStringLiteral("Job.batch \"%1\" is invalid: %2")
        .arg(name, problems.join(QStringLiteral(", ")));
}

void JobController::applyDefaults(QJsonObject &job) const {
    const QString uid = KubeJson::at(job, QStringLiteral("metadata.uid")).toString();
    const QString name = KubeJson::at(job, QStringLiteral("metadata.name")).toString();
    QJsonObject spec = job.value(QStringLiteral("spec")).toObject();
    auto orDefault = [&](const char *key, const QJsonValue &v) {
        if (!spec.contains(QLatin1String(key)))
            spec.insert(QLatin1String(key), v);
    };
    orDefault("parallelism", 1);
    orDefault("completions", 1);
    orDefault("backoffLimit", 6);
    orDefault("completionMode", QStringLiteral("NonIndexed"));
    orDefault("suspend", false);
    orDefault("podReplacementPolicy", QStringLiteral("TerminatingOrFailed"));
    spec.insert(QStringLiteral("manualSelector"), QJsonValue::Undefined);
    const QJsonObject selectorLabels{{QStringLiteral("batch.kubernetes.io/controller-uid"), uid}};
    spec.insert(QStringLiteral("selector"),
                QJsonObject{{QStringLiteral("matchLabels"), selectorLabels}});
    QJsonObject tmpl = spec.value(QStringLiteral("template")).toObject();
    QJsonObject tmeta = tmpl.value(QStringLiteral("metadata")).toObject();
    QJsonObject labels = tmeta.value(QStringLiteral("labels")).toObject();
    labels.insert(QStringLiteral("batch.kubernetes.io/controller-uid"), uid);
    labels.insert(QStringLiteral("batch.kubernetes.io/job-name"), name);
    labels.insert(QStringLiteral("controller-uid"), uid);
    labels.insert(QStringLiteral("job-name"), name);
    tmeta.insert(QStringLiteral("labels"), labels);
    tmpl.insert(QStringLiteral("metadata"), tmeta);
    QJsonObject podSpec = tmpl.value(QStringLiteral("spec")).toObject();
    auto podDefault = [&](const char *key, const QJsonValue &v) {
        if (!podSpec.contains(QLatin1String(key)))
            podSpec.insert(QLatin1String(key), v);
    };
    podDefault("dnsPolicy", QStringLiteral("ClusterFirst"));
    podDefault("schedulerName", QStringLiteral("default-scheduler"));
    podDefault("securityContext", QJsonObject());
    podDefault("terminationGracePeriodSeconds", 30);
    for (const char *key : {"initContainers", "containers"}) {
        if (!podSpec.contains(QLatin1String(key)))
            continue;
        QJsonArray list = podSpec.value(QLatin1String(key)).toArray();
        for (int i = 0; i < list.size(); ++i) {
            QJsonObject c = list[i].toObject();
            if (!c.contains(QStringLiteral("imagePullPolicy"))) {
                const QString image = c.value(QStringLiteral("image")).toString();
                const bool latest = !image.section(u'/', -1).contains(u':') ||
                                    image.endsWith(QStringLiteral(":latest"));
                c.insert(QStringLiteral("imagePullPolicy"),
                         latest ? QStringLiteral("Always") : QStringLiteral("IfNotPresent"));
            }
            if (!c.contains(QStringLiteral("terminationMessagePath")))
                c.insert(QStringLiteral("terminationMessagePath"),
                         QStringLiteral("/dev/termination-log"));
            if (!c.contains(QStringLiteral("terminationMessagePolicy")))
                c.insert(QStringLiteral("terminationMessagePolicy"), QStringLiteral("File"));
            if (!c.contains(QStringLiteral("resources")))
                c.insert(QStringLiteral("resources"), QJsonObject());
            list[i] = c;
        }
        podSpec.insert(QLatin1String(key), list);
    }
    tmpl.insert(QStringLiteral("spec"), podSpec);
    spec.insert(QStringLiteral("template"), tmpl);
    job.insert(QStringLiteral("spec"), spec);
    QJsonObject meta = job.value(QStringLiteral("metadata")).toObject();
    QJsonObject jobLabels = meta.value(QStringLiteral("labels")).toObject();
    jobLabels.insert(QStringLiteral("batch.kubernetes.io/controller-uid"), uid);
    jobLabels.insert(QStringLiteral("batch.kubernetes.io/job-name"), name);
    jobLabels.insert(QStringLiteral("controller-uid"), uid);
    jobLabels.insert(QStringLiteral("job-name"), name);
    meta.insert(QStringLiteral("labels"), jobLabels);
    meta.insert(QStringLiteral("generation"), 1);
    job.insert(QStringLiteral("metadata"), meta);
    job.insert(QStringLiteral("status"), QJsonObject());
}

WriteResult JobController::create(const QString &ns, QJsonObject job, bool dryRun) {
    QJsonObject meta = job.value(QStringLiteral("metadata")).toObject();
    const QString metaNs = meta.value(QStringLiteral("namespace")).toString();
    if (!metaNs.isEmpty() && metaNs != ns)
        return {400,
                KubeJson::status(400, QStringLiteral("BadRequest"),
                                 QStringLiteral("the namespace of the provided object does not "
                                                "match the namespace sent on the request"))};
    const QString kind = job.value(QStringLiteral("kind")).toString();
    if (!kind.isEmpty() && kind != QStringLiteral("Job"))
        return {400, KubeJson::status(400, QStringLiteral("BadRequest"),
                                      QStringLiteral("the kind %1 does not match Job").arg(kind))};
    meta.insert(QStringLiteral("namespace"), ns);
    QString name = meta.value(QStringLiteral("name")).toString();
    const QString generateName = meta.value(QStringLiteral("generateName")).toString();
    if (name.isEmpty() && !generateName.isEmpty()) {
        do {
            name = generateName.left(58) + KubeJson::randomSuffix(5);
        } while (m_ctx->store->contains(QStringLiteral("jobs"), ns, name));
    }
    if (name.isEmpty())
        return {422, KubeJson::status(
                         422, QStringLiteral("Invalid"),
                         QStringLiteral("Job.batch \"\" is invalid: metadata.name: "
                                        "Required value: name or generateName is required"))};
    meta.insert(QStringLiteral("name"), name);
    job.insert(QStringLiteral("metadata"), meta);
    job.insert(QStringLiteral("kind"), QStringLiteral("Job"));
    job.insert(QStringLiteral("apiVersion"), QStringLiteral("batch/v1"));
    const QString problem = validate(job);
    if (!problem.isEmpty())
        return {422, KubeJson::status(422, QStringLiteral("Invalid"), problem,
                                      {{QStringLiteral("name"), name},
                                       {QStringLiteral("group"), QStringLiteral("batch")},
                                       {QStringLiteral("kind"), QStringLiteral("Job")}})};
    if (m_ctx->store->contains(QStringLiteral("jobs"), ns, name))
        return {409,
                KubeJson::alreadyExists(QStringLiteral("jobs"), QStringLiteral("batch"), name)};
    if (dryRun) {
        applyDefaults(job);
        return {201, KubeJson::compact(job)};
    }
    // The uid is needed for the selector: create first, then store the defaulted object.
    QJsonObject stored = m_ctx->store->create(QStringLiteral("jobs"), job);
    applyDefaults(stored);
    stored = m_ctx->store->update(QStringLiteral("jobs"), stored);
    auto *runner = new JobRunner(m_ctx, stored, this);
    const QString key = ns + u'/' + name;
    m_runners.insert(key, runner);
    connect(runner, &JobRunner::ttlExpired, this,
            [this, ns, name] { remove(ns, name, QStringLiteral("Background")); });
    qCDebug(lcKubeSim) << "job" << key << "created; source image" << runner->sourceImage();
    runner->start();
    return {201, KubeJson::compact(m_ctx->store->get(QStringLiteral("jobs"), ns, name))};
}

WriteResult JobController::remove(const QString &ns, const QString &name,
                                  const QString &propagation) {
    const QJsonObject job = m_ctx->store->get(QStringLiteral("jobs"), ns, name);
    if (job.isEmpty())
        return {404, KubeJson::notFound(QStringLiteral("jobs"), QStringLiteral("batch"), name)};
    const QString key = ns + u'/' + name;
    const bool deletePods =
        propagation == QStringLiteral("Background") || propagation == QStringLiteral("Foreground");
    if (JobRunner *runner = m_runners.take(key)) {
        runner->stop(deletePods);
        runner->deleteLater();
    }
    m_ctx->store->remove(QStringLiteral("jobs"), ns, name);
    const QJsonObject details{
        {QStringLiteral("name"), name},
        {QStringLiteral("group"), QStringLiteral("batch")},
        {QStringLiteral("kind"), QStringLiteral("jobs")},
        {QStringLiteral("uid"), KubeJson::at(job, QStringLiteral("metadata.uid"))}};
    return {200, KubeJson::statusSuccess(details)};
}

} // namespace pw::kubesim
