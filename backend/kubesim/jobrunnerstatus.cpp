// JobRunner, second half: Job status, events, pod updates and the end of a Job.
#include "jobrunner.h"

#include "containerlog.h"
#include "eventrecorder.h"
#include "kubejson.h"
#include "kubesimlog.h"
#include "logregistry.h"
#include "objectstore.h"
#include "simcontext.h"
#include "simtimers.h"

#include <QJsonArray>

void JobRunner::finishJob(bool complete, const QString &reason, const QString &message) {
    if (m_done)
        return;
    m_done = true;
    ++m_generation;
    m_ctx->timers->cancel(m_deadline);
    m_deadline = 0;
    const QString now = KubeJson::nowStamp();
    auto condition = [&](const QString &type, const QString &why, const QString &text) {
        return QJsonObject{{QStringLiteral("type"), type},
                           {QStringLiteral("status"), QStringLiteral("True")},
                           {QStringLiteral("lastProbeTime"), now},
                           {QStringLiteral("lastTransitionTime"), now},
                           {QStringLiteral("reason"), why},
                           {QStringLiteral("message"), text}};
    };
    QJsonObject status = m_job.value(QStringLiteral("status")).toObject();
    status.insert(QStringLiteral("active"), 0);
    status.insert(QStringLiteral("ready"), 0);
    if (complete) {
        status.insert(QStringLiteral("completionTime"), now);
        status.insert(QStringLiteral("conditions"),
                      QJsonArray{condition(QStringLiteral("SuccessCriteriaMet"), reason, message),
                                 condition(QStringLiteral("Complete"), reason, message)});
        jobEvent(QStringLiteral("Normal"), QStringLiteral("Completed"),
                 QStringLiteral("Job completed"));
    } else {
        status.insert(QStringLiteral("conditions"),
                      QJsonArray{condition(QStringLiteral("FailureTarget"), reason, message),
                                 condition(QStringLiteral("Failed"), reason, message)});
        jobEvent(QStringLiteral("Warning"), reason, message);
    }
    status.insert(QStringLiteral("uncountedTerminatedPods"), QJsonObject());
    m_job.insert(QStringLiteral("status"), status);
    updateJob();
    qCDebug(lcKubeSim) << "job" << m_ns
                       << KubeJson::at(m_job, QStringLiteral("metadata.name")).toString()
                       << (complete ? "completed" : "failed:") << (complete ? QString() : reason);
    const QJsonValue ttl = KubeJson::at(m_job, QStringLiteral("spec.ttlSecondsAfterFinished"));
    if (ttl.isDouble()) {
        m_ctx->timers->add(m_ctx->scaled(int(qMin<qint64>(ttl.toInteger() * 1000, INT_MAX / 2))),
                           this, [this] {
                               if (!m_stopped)
                                   Q_EMIT ttlExpired();
                           });
    }
}

void JobRunner::onDeadline() {
    if (m_done)
        return;
    ++m_generation;
    if (m_hasPod) {
        const auto phase = m_pod.phase;
        if (phase == QStringLiteral("Pending") || phase == QStringLiteral("Running")) {
            deletePod(m_pod.name());
            jobEvent(QStringLiteral("Normal"), QStringLiteral("SuccessfulDelete"),
                     QStringLiteral("Deleted pod: %1").arg(m_pod.name()));
            QJsonObject status = m_job.value(QStringLiteral("status")).toObject();
            status.insert(QStringLiteral("failed"), ++m_failed);
            m_job.insert(QStringLiteral("status"), status);
        }
    }
    finishJob(false, QStringLiteral("DeadlineExceeded"),
              QStringLiteral("Job was active longer than specified deadline"));
}

void JobRunner::stop(bool deletePods) {
    m_stopped = true;
    ++m_generation;
    m_ctx->timers->cancel(m_deadline);
    m_deadline = 0;
    const QStringList pods = m_podNames;
    for (const QString &pod : pods) {
        if (deletePods) {
            deletePod(pod);
            continue;
        }
        // Orphaned: the pod stays, without its owner; its containers stop being simulated.
        QJsonObject o = m_ctx->store->get(QStringLiteral("pods"), m_ns, pod);
        if (o.isEmpty())
            continue;
        QJsonObject meta = o.value(QStringLiteral("metadata")).toObject();
        meta.remove(QStringLiteral("ownerReferences"));
        o.insert(QStringLiteral("metadata"), meta);
        m_ctx->store->update(QStringLiteral("pods"), o);
    }
}

void JobRunner::deletePod(const QString &name) {
    m_ctx->store->remove(QStringLiteral("pods"), m_ns, name);
    m_ctx->logs->removePod(m_ns, name);
    m_podNames.removeAll(name);
    if (m_hasPod && m_pod.name() == name)
        m_hasPod = false;
}

bool JobRunner::updatePod() {
    if (!m_hasPod)
        return false;
    QJsonObject current = m_ctx->store->get(QStringLiteral("pods"), m_ns, m_pod.name());
    if (current.isEmpty()) {
        // Someone deleted the pod: the job controller replaces it.
        m_hasPod = false;
        ++m_generation;
        m_podNames.removeAll(m_pod.name());
        if (!m_done)
            after(m_rule.timings.backoffMs, [this] { createPod(); });
        return false;
    }
    QJsonObject rendered = m_pod.render();
    QJsonObject meta = current.value(QStringLiteral("metadata")).toObject();
    const bool finished =
        m_pod.phase == QStringLiteral("Succeeded") || m_pod.phase == QStringLiteral("Failed");
    if (finished)
        meta.remove(QStringLiteral("finalizers"));
    rendered.insert(QStringLiteral("metadata"), meta);
    const QJsonObject stored = m_ctx->store->update(QStringLiteral("pods"), rendered);
    m_pod.metadata = stored.value(QStringLiteral("metadata")).toObject();
    return true;
}

void JobRunner::updateJob() {
    if (m_stopped)
        return;
    const QJsonObject stored = m_ctx->store->update(QStringLiteral("jobs"), m_job);
    if (!stored.isEmpty())
        m_job = stored;
}

void JobRunner::event(const QString &type, const QString &reason, const QString &message,
                      const QString &fieldPath) {
    const bool kubelet =
        reason != QStringLiteral("Scheduled") && reason != QStringLiteral("FailedScheduling");
    m_ctx->events->record(m_pod.render(), type, reason, message,
                          kubelet ? QStringLiteral("kubelet") : QStringLiteral("default-scheduler"),
                          fieldPath, kubelet ? m_ctx->nodeName : QString());
}

void JobRunner::jobEvent(const QString &type, const QString &reason, const QString &message) {
    m_ctx->events->record(m_job, type, reason, message, QStringLiteral("job-controller"));
}

QString JobRunner::fieldPath(const ContainerModel &c) const {
    return QStringLiteral("spec.%1{%2}")
        .arg(c.init ? QStringLiteral("initContainers") : QStringLiteral("containers"), c.name);
}

ContainerLog *JobRunner::newLog(const ContainerModel &c) {
    return m_ctx->logs->create(m_ns, m_pod.name(), c.name, c.restartCount);
}
