#include "jobrunner.h"

#include "containerlog.h"
#include "cranelog.h"
#include "eventrecorder.h"
#include "jobsource.h"
#include "jobstatus.h"
#include "kubejson.h"
#include "kubesimlog.h"
#include "logregistry.h"
#include "objectstore.h"
#include "simcontext.h"
#include "simtimers.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace pw::kubesim {

JobRunner::JobRunner(SimContext *context, const QJsonObject &job, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_job(job)
    , m_ns(KubeJson::at(job, QStringLiteral("metadata.namespace")).toString()) {
    m_backoffLimit = KubeJson::at(job, QStringLiteral("spec.backoffLimit")).toInt(6);
    const JobSource source = JobSource::of(job, m_ctx->scenario);
    m_sourceImage = source.image;
    m_sourceIndex = source.containerIndex;
    m_rule = source.rule;
}

void JobRunner::after(int simulatedMs, std::function<void()> step) {
    const int generation = m_generation;
    m_ctx->timers->add(m_ctx->scaled(simulatedMs), this, [this, generation, step] {
        if (generation == m_generation && !m_stopped)
            step();
    });
}

void JobRunner::start() {
    QJsonObject status = m_job.value(QStringLiteral("status")).toObject();
    status.insert(QStringLiteral("startTime"), KubeJson::nowStamp());
    m_job.insert(QStringLiteral("status"), status);
    const QJsonValue deadline = KubeJson::at(m_job, QStringLiteral("spec.activeDeadlineSeconds"));
    if (deadline.isDouble())
        m_deadline = m_ctx->timers->add(
            m_ctx->scaled(int(qMin<qint64>(deadline.toInteger() * 1000, INT_MAX / 2))), this,
            [this] {
                m_deadline = 0;
                onDeadline();
            });
    createPod();
}

void JobRunner::createPod() {
    ++m_generation;
    const QJsonObject meta = m_job.value(QStringLiteral("metadata")).toObject();
    const QString jobName = meta.value(QStringLiteral("name")).toString();
    const QJsonObject tmpl = KubeJson::at(m_job, QStringLiteral("spec.template")).toObject();
    QJsonObject podMeta = tmpl.value(QStringLiteral("metadata")).toObject();
    QString name;
    do {
        name = jobName.left(57) + u'-' + KubeJson::randomSuffix(5);
    } while (m_ctx->store->contains(QStringLiteral("pods"), m_ns, name));
    podMeta.insert(QStringLiteral("name"), name);
    podMeta.insert(QStringLiteral("generateName"), jobName + u'-');
    podMeta.insert(QStringLiteral("namespace"), m_ns);
    podMeta.insert(
        QStringLiteral("ownerReferences"),
        QJsonArray{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("batch/v1")},
                               {QStringLiteral("kind"), QStringLiteral("Job")},
                               {QStringLiteral("name"), jobName},
                               {QStringLiteral("uid"), meta.value(QStringLiteral("uid"))},
                               {QStringLiteral("controller"), true},
                               {QStringLiteral("blockOwnerDeletion"), true}}});
    podMeta.insert(QStringLiteral("finalizers"),
                   QJsonArray{QStringLiteral("batch.kubernetes.io/job-tracking")});
    m_pod = PodModel();
    m_pod.metadata = podMeta;
    m_pod.spec = tmpl.value(QStringLiteral("spec")).toObject();
    m_pod.hostIp = m_ctx->hostIp;
    m_pod.setUpContainers();
    const QJsonObject created = m_ctx->store->create(QStringLiteral("pods"), m_pod.render());
    m_pod.metadata = created.value(QStringLiteral("metadata")).toObject();
    m_hasPod = true;
    m_podNames << name;
    jobEvent(QStringLiteral("Normal"), QStringLiteral("SuccessfulCreate"),
             QStringLiteral("Created pod: %1").arg(name));
    QJsonObject status = m_job.value(QStringLiteral("status")).toObject();
    status.insert(QStringLiteral("active"), 1);
    status.insert(QStringLiteral("ready"), 0);
    status.insert(QStringLiteral("terminating"), 0);
    m_job.insert(QStringLiteral("status"), status);
    updateJob();
    if (m_rule.outcome == PullOutcome::Unschedulable) {
        after(m_rule.timings.scheduleMs, [this] { failScheduling(); });
        return;
    }
    after(m_rule.timings.scheduleMs, [this] { schedulePod(); });
}

void JobRunner::schedulePod() {
    const QString now = KubeJson::nowStamp();
    m_pod.spec.insert(QStringLiteral("nodeName"), m_ctx->nodeName);
    m_pod.scheduledAt = now;
    m_pod.startTime = now;
    m_pod.podIp = QStringLiteral("10.244.%1.%2")
                      .arg(QRandomGenerator::global()->bounded(1, 250))
                      .arg(QRandomGenerator::global()->bounded(2, 250));
    event(QStringLiteral("Normal"), QStringLiteral("Scheduled"),
          QStringLiteral("Successfully assigned %1/%2 to %3")
              .arg(m_ns, m_pod.name(), m_ctx->nodeName));
    if (!updatePod())
        return;
    if (!m_pod.containers.isEmpty())
        runContainer(0);
}

void JobRunner::failScheduling() {
    // The scheduler retries with back-off; the pod stays Pending until the deadline.
    m_pod.startTime = m_pod.startTime.isEmpty() ? KubeJson::nowStamp() : m_pod.startTime;
    m_pod.unschedulableMessage =
        QStringLiteral("0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are "
                       "available: 1 No preemption victims found for incoming pod.");
    event(QStringLiteral("Warning"), QStringLiteral("FailedScheduling"),
          m_pod.unschedulableMessage);
    if (!updatePod())
        return;
    after(m_rule.timings.backoffMs, [this] { failScheduling(); });
}

void JobRunner::runContainer(int index) {
    const ContainerModel &c = m_pod.containers[index];
    event(QStringLiteral("Normal"), QStringLiteral("Pulling"),
          QStringLiteral("Pulling image \"%1\"").arg(c.image), fieldPath(c));
    const bool fails = index == m_sourceIndex && (m_rule.outcome == PullOutcome::NotFound ||
                                                  m_rule.outcome == PullOutcome::Unauthorized);
    after(m_rule.timings.pullMs, [this, index, fails] {
        if (fails) {
            pullFailed(index, 0);
            return;
        }
        ContainerModel &c = m_pod.containers[index];
        c.pulled = true;
        const double seconds = m_ctx->scaled(m_rule.timings.pullMs) / 1000.0;
        event(QStringLiteral("Normal"), QStringLiteral("Pulled"),
              QStringLiteral("Successfully pulled image \"%1\" in %2s (%2s including waiting). "
                             "Image size: %3 bytes.")
                  .arg(c.image)
                  .arg(seconds, 0, 'f', 3)
                  .arg(3000000 + qHash(c.image) % 90000000),
              fieldPath(c));
        after(m_rule.timings.startMs, [this, index] { startContainer(index); });
    });
}

void JobRunner::pullFailed(int index, int round) {
    ContainerModel &c = m_pod.containers[index];
    const QString error =
        CraneLog::pullError(JobSource::normalised(c.image), m_rule.outcome == PullOutcome::Unauthorized);
    c.state = ContainerModel::State::Waiting;
    c.reason = QStringLiteral("ErrImagePull");
    c.message = error;
    event(QStringLiteral("Warning"), QStringLiteral("Failed"),
          QStringLiteral("Failed to pull image \"%1\": %2").arg(c.image, error), fieldPath(c));
    event(QStringLiteral("Warning"), QStringLiteral("Failed"),
          QStringLiteral("Error: ErrImagePull"), fieldPath(c));
    if (!updatePod())
        return;
    after(m_rule.timings.backoffMs, [this, index, round] {
        ContainerModel &c = m_pod.containers[index];
        c.reason = QStringLiteral("ImagePullBackOff");
        c.message = QStringLiteral("Back-off pulling image \"%1\"").arg(c.image);
        event(QStringLiteral("Normal"), QStringLiteral("BackOff"), c.message, fieldPath(c));
        event(QStringLiteral("Warning"), QStringLiteral("Failed"),
              QStringLiteral("Error: ImagePullBackOff"), fieldPath(c));
        if (!updatePod())
            return;
        after(2 * m_rule.timings.backoffMs, [this, index, round] {
            event(QStringLiteral("Normal"), QStringLiteral("Pulling"),
                  QStringLiteral("Pulling image \"%1\"").arg(m_pod.containers[index].image),
                  fieldPath(m_pod.containers[index]));
            after(m_rule.timings.pullMs, [this, index, round] { pullFailed(index, round + 1); });
        });
    });
}

void JobRunner::startContainer(int index) {
    ContainerModel &c = m_pod.containers[index];
    c.state = ContainerModel::State::Running;
    c.reason.clear();
    c.message.clear();
    c.startedAt = KubeJson::nowStamp();
    c.containerId =
        QStringLiteral("containerd://") +
        CraneLog::digestOf(m_pod.name() + c.name + QString::number(c.restartCount)).mid(7);
    event(QStringLiteral("Normal"), QStringLiteral("Created"),
          QStringLiteral("Created container: %1").arg(c.name), fieldPath(c));
    event(QStringLiteral("Normal"), QStringLiteral("Started"),
          QStringLiteral("Started container %1").arg(c.name), fieldPath(c));
    ContainerLog *log = newLog(c);
    if (c.init) {
        if (index != m_sourceIndex)
            log->append(QByteArrayLiteral(
                "installed /tools/no-op (static, 812 KB) into the shared volume"));
        if (!updatePod())
            return;
        after(m_rule.timings.initRunMs, [this, index] {
            ContainerModel &c = m_pod.containers[index];
            c.state = ContainerModel::State::Terminated;
            c.reason = QStringLiteral("Completed");
            c.exitCode = 0;
            c.finishedAt = KubeJson::nowStamp();
            if (auto *l = m_ctx->logs->find(m_ns, m_pod.name(), c.name, c.restartCount))
                l->finish();
            const bool last =
                index + 1 >= m_pod.containers.size() || !m_pod.containers[index + 1].init;
            if (last) {
                m_pod.initializedAt = KubeJson::nowStamp();
                for (ContainerModel &m : m_pod.containers)
                    if (!m.init)
                        m.reason = QStringLiteral("ContainerCreating");
            }
            if (!updatePod())
                return;
            if (index + 1 < m_pod.containers.size())
                runContainer(index + 1);
        });
        return;
    }
    // A main container: the next one is pulled and started right away; the pod runs once all are.
    if (index + 1 < m_pod.containers.size()) {
        if (!updatePod())
            return;
        runContainer(index + 1);
        return;
    }
    m_pod.phase = QStringLiteral("Running");
    m_pod.readyAt = KubeJson::nowStamp();
    if (!updatePod())
        return;
    QJsonObject status = m_job.value(QStringLiteral("status")).toObject();
    status.insert(QStringLiteral("ready"), 1);
    m_job.insert(QStringLiteral("status"), status);
    updateJob();
    int first = 0;
    while (first < m_pod.containers.size() && m_pod.containers[first].init)
        ++first;
    runScript(first);
}

void JobRunner::runScript(int index) {
    const ContainerModel &c = m_pod.containers[index];
    ContainerLog *log = m_ctx->logs->find(m_ns, m_pod.name(), c.name, c.restartCount);
    m_mainLog = log;
    QJsonObject spec;
    for (const QJsonValue &v : m_pod.spec.value(QStringLiteral("containers")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == c.name)
            spec = v.toObject();
    QPair<QString, QString> copy = CraneLog::copyArguments(spec);
    if (copy.first.isEmpty())
        copy = {JobSource::normalised(m_sourceImage), QStringLiteral("harbor.sim.local/library/") +
                                               JobSource::normalised(m_sourceImage).section(u'/', -1)};
    if (m_rule.outcome == PullOutcome::Chatty) {
        const int rate =
            m_ctx->chattyRateOverride >= 0 ? m_ctx->chattyRateOverride : m_rule.chattyRate;
        log->generate(CraneLog::stamp() + " chatty", m_rule.chattyLines, rate);
        connect(log, &ContainerLog::grew, this, [this, log, generation = m_generation] {
            if (generation == m_generation && log->isFinished() && !m_stopped)
                exitMainContainers(0, QStringLiteral("Completed"));
        });
        return;
    }
    const bool fail = m_rule.outcome == PullOutcome::PushFail;
    const QList<QByteArray> lines = fail ? CraneLog::failureLines(copy.first, copy.second)
                                         : CraneLog::successLines(copy.first, copy.second);
    const int step = m_rule.timings.pushMs / qMax(1, int(lines.size()));
    for (int i = 0; i < lines.size(); ++i) {
        after(step * i, [this, log = QPointer<ContainerLog>(log), line = lines[i]] {
            if (log)
                log->append(line);
        });
    }
    after(m_rule.timings.pushMs, [this, fail] {
        exitMainContainers(fail ? m_rule.exitCode : 0,
                           fail ? QStringLiteral("Error") : QStringLiteral("Completed"));
    });
}

void JobRunner::exitMainContainers(int exitCode, const QString &reason) {
    const QString now = KubeJson::nowStamp();
    for (ContainerModel &c : m_pod.containers) {
        if (c.init || c.state != ContainerModel::State::Running)
            continue;
        c.state = ContainerModel::State::Terminated;
        c.exitCode = exitCode;
        c.reason = reason;
        c.finishedAt = now;
        if (auto *l = m_ctx->logs->find(m_ns, m_pod.name(), c.name, c.restartCount))
            l->finish();
    }
    const bool onFailure =
        m_pod.spec.value(QStringLiteral("restartPolicy")).toString() == QStringLiteral("OnFailure");
    if (exitCode != 0 && onFailure) {
        // The kubelet restarts the container in place; the job counts the failure.
        ++m_failed;
        if (!updatePod())
            return;
        if (m_failed > m_backoffLimit) {
            podFinished(false);
            return;
        }
        after(m_rule.timings.backoffMs, [this] {
            int first = 0;
            while (m_pod.containers[first].init)
                ++first;
            for (int i = first; i < m_pod.containers.size(); ++i) {
                m_pod.containers[i].keepLastState();
                startContainer(i);
            }
        });
        return;
    }
    m_pod.phase = exitCode == 0 ? QStringLiteral("Succeeded") : QStringLiteral("Failed");
    if (!updatePod())
        return;
    podFinished(exitCode == 0);
}

void JobRunner::podFinished(bool succeeded) {
    ++m_generation;
    QJsonObject status = m_job.value(QStringLiteral("status")).toObject();
    status.insert(QStringLiteral("active"), 0);
    status.insert(QStringLiteral("ready"), 0);
    if (succeeded) {
        status.insert(QStringLiteral("succeeded"), 1);
        m_job.insert(QStringLiteral("status"), status);
        finishJob(true, QStringLiteral("CompletionsReached"),
                  QStringLiteral("Reached expected number of succeeded pods"));
        return;
    }
    const bool onFailure =
        m_pod.spec.value(QStringLiteral("restartPolicy")).toString() == QStringLiteral("OnFailure");
    if (!onFailure)
        ++m_failed;
    status.insert(QStringLiteral("failed"), m_failed);
    m_job.insert(QStringLiteral("status"), status);
    if (m_failed > m_backoffLimit) {
        if (onFailure)
            deletePod(m_pod.name());
        finishJob(false, QStringLiteral("BackoffLimitExceeded"),
                  QStringLiteral("Job has reached the specified backoff limit"));
        return;
    }
    updateJob();
    after(m_rule.timings.backoffMs, [this] { createPod(); });
}

// The end of a Job, pod updates, events.

void JobRunner::finishJob(bool complete, const QString &reason, const QString &message) {
    if (m_done)
        return;
    m_done = true;
    ++m_generation;
    m_ctx->timers->cancel(m_deadline);
    m_deadline = 0;
    m_job.insert(QStringLiteral("status"),
                 JobStatus::finished(m_job.value(QStringLiteral("status")).toObject(), complete,
                                     reason, message, KubeJson::nowStamp()));
    if (complete)
        jobEvent(QStringLiteral("Normal"), QStringLiteral("Completed"),
                 QStringLiteral("Job completed"));
    else
        jobEvent(QStringLiteral("Warning"), reason, message);
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

} // namespace pw::kubesim
