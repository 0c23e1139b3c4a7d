#include "pullservice.h"

#include "failureclassifier.h"
#include "failurecause.h"
#include "failuredetails.h"
#include "pullmanifest.h"
#include "pullslog.h"

#include "core/clock.h"
#include "core/pullhistory.h"
#include "core/timeformat.h"
#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeinformer.h"
#include "kube/kubeobject.h"
#include "kube/kubepod.h"

#include <QJsonArray>
#include <QTimer>

PullService::PullService(KubeClient *client, PullSettings settings, PullHistory *history,
                         Clock *clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_settings(std::move(settings))
    , m_history(history)
    , m_clock(clock)
    , m_tracker(clock, m_settings.historyLimit)
{
    connect(&m_tracker, &PullTracker::finishedPull, this, &PullService::onFinished);
}

PullService::~PullService() = default;

void PullService::start()
{
    if (!m_history) {
        startInformers();
        return;
    }
    m_history->load([this](const QList<PullJob> &finished, const QString &error) {
        if (!error.isEmpty())
            qCWarning(lcPulls).noquote() << "history could not be loaded:" << error;
        m_tracker.restore(finished);
        qCInfo(lcPulls) << "history holds" << finished.size() << "finished pulls";
        startInformers();
    });
}

void PullService::startInformers()
{
    m_jobInformer = new KubeInformer(m_client, KubeInformer::Resource::Jobs,
                                     m_settings.namespaceName, PullManifest::selector(), this);
    m_podInformer = new KubeInformer(m_client, KubeInformer::Resource::Pods,
                                     m_settings.namespaceName, PullManifest::selector(), this);
    connect(m_jobInformer, &KubeInformer::added, this, &PullService::onJob);
    connect(m_jobInformer, &KubeInformer::modified, this, &PullService::onJob);
    connect(m_jobInformer, &KubeInformer::deleted, this, &PullService::onJobDeleted);
    connect(m_podInformer, &KubeInformer::added, this, &PullService::onPod);
    connect(m_podInformer, &KubeInformer::modified, this, &PullService::onPod);
    connect(m_podInformer, &KubeInformer::deleted, this, &PullService::onPodDeleted);
    auto markSynced = [this](bool *flag) {
        *flag = true;
        if (m_jobsSynced && m_podsSynced && !m_ready) {
            m_ready = true;
            qCInfo(lcPulls) << "cluster listed:" << m_tracker.activeCount() << "active pulls";
            Q_EMIT ready();
        }
    };
    connect(m_jobInformer, &KubeInformer::synced, this, [=] { markSynced(&m_jobsSynced); });
    connect(m_podInformer, &KubeInformer::synced, this, [=] { markSynced(&m_podsSynced); });
    m_podInformer->start();
    m_jobInformer->start();
}

void PullService::stop()
{
    if (m_jobInformer)
        m_jobInformer->stop();
    if (m_podInformer)
        m_podInformer->stop();
    qDeleteAll(m_graceTimers);
    m_graceTimers.clear();
    if (m_history)
        m_history->flush();
}

PullJob PullService::baseFor(const QJsonObject &job) const
{
    const QJsonObject meta = job.value(QStringLiteral("metadata")).toObject();
    const QJsonObject annotations = meta.value(QStringLiteral("annotations")).toObject();
    PullJob base;
    base.id = meta.value(QStringLiteral("name")).toString();
    base.namespaceName = meta.value(QStringLiteral("namespace")).toString(m_settings.namespaceName);
    base.source = annotations.value(PullManifest::kSourceAnnotation).toString();
    base.imageName = annotations.value(PullManifest::kImageAnnotation).toString();
    base.tag = annotations.value(PullManifest::kTagAnnotation).toString();
    base.target = annotations.value(PullManifest::kTargetAnnotation).toString();
    base.retryOf = annotations.value(PullManifest::kRetryOfAnnotation).toString();
    base.createdAt = TimeFormat::parseRfc3339(meta.value(QStringLiteral("creationTimestamp")).toString());
    if (!base.createdAt.isValid())
        base.createdAt = m_clock->now();
    base.updatedAt = base.createdAt;
    return base;
}

void PullService::onJob(const QJsonObject &job)
{
    const QString name = KubeObject::name(job);
    m_jobs.insert(name, job);
    update(name);
}

void PullService::onJobDeleted(const QJsonObject &job)
{
    const QString name = KubeObject::name(job);
    m_jobs.remove(name);
    m_podsByJob.remove(name);
    m_pullErrors.remove(name);
    m_confirming.remove(name);
    delete m_graceTimers.take(name);
    const auto current = m_tracker.find(name);
    if (!current || current->isTerminal())
        return;
    if (m_cancelling.remove(name)) {
        fail(*current, FailureReason::Cancelled, QStringLiteral("Cancelled by an administrator"), false);
        return;
    }
    fail(*current, FailureReason::Unknown, QStringLiteral("The pull job was deleted"), false);
}

void PullService::onPod(const QJsonObject &object)
{
    const KubePod pod(object);
    const QString job = pod.jobName();
    if (job.isEmpty())
        return;
    // Follow the newest pod of a job (a retried job makes a new one).
    const KubePod current = m_podsByJob.value(job);
    if (!current.isNull() && current.name() != pod.name() && current.createdAt() > pod.createdAt())
        return;
    m_podsByJob.insert(job, pod);
    update(job);
}

void PullService::onPodDeleted(const QJsonObject &object)
{
    const KubePod pod(object);
    const QString job = pod.jobName();
    if (m_podsByJob.value(job).name() == pod.name())
        m_podsByJob.remove(job);
}

void PullService::update(const QString &jobName)
{
    const auto jobIt = m_jobs.constFind(jobName);
    if (jobIt == m_jobs.constEnd())
        return;
    const PullObservation o = PullStateMapper::observe(*jobIt, m_podsByJob.value(jobName));
    if (o.stage == PullStage::Failed && o.reason == FailureReason::BackoffLimitExceeded) {
        // The job and pod watches are separate streams: the Job's Failed condition can arrive
        // before the pod status that says why. Read the pods once before giving the verdict.
        if (!m_confirming.contains(jobName))
            confirmFailure(jobName, jobIt->value(QStringLiteral("metadata"))
                                        .toObject()
                                        .value(QStringLiteral("namespace"))
                                        .toString());
        return;
    }
    applyObservation(jobName, o);
}

void PullService::confirmFailure(const QString &jobName, const QString &ns)
{
    m_confirming.insert(jobName);
    KubeCall *call = m_client->listPods(ns, QStringLiteral("job-name=") + jobName);
    connect(call, &KubeCall::finished, this, [this, jobName](KubeCall *call) {
        if (!m_confirming.remove(jobName))
            return; // the job was deleted meanwhile
        for (const QJsonValue &v : call->object().value(QStringLiteral("items")).toArray()) {
            const KubePod pod(v.toObject());
            const KubePod current = m_podsByJob.value(jobName);
            if (current.isNull() || pod.createdAt() >= current.createdAt())
                m_podsByJob.insert(jobName, pod);
        }
        const auto jobIt = m_jobs.constFind(jobName);
        if (jobIt != m_jobs.constEnd())
            applyObservation(jobName, PullStateMapper::observe(*jobIt, m_podsByJob.value(jobName)));
    });
}

void PullService::applyObservation(const QString &jobName, const PullObservation &o)
{
    const auto jobIt = m_jobs.constFind(jobName);
    if (!o.pullError.isEmpty())
        m_pullErrors.insert(jobName, o.pullError);
    const PullJob job = m_tracker.apply(baseFor(*jobIt), o);
    if (!job.isTerminal())
        watchGrace(jobName, o.inPullBackOff || o.unschedulable);
}

void PullService::watchGrace(const QString &jobName, bool stuck)
{
    if (!stuck) {
        delete m_graceTimers.take(jobName);
        return;
    }
    if (m_graceTimers.contains(jobName))
        return;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, jobName] { onGraceExpired(jobName); });
    timer->start(m_settings.pullBackOffGraceSeconds * 1000);
    m_graceTimers.insert(jobName, timer);
}

void PullService::onGraceExpired(const QString &jobName)
{
    if (QTimer *timer = m_graceTimers.take(jobName))
        timer->deleteLater();
    const auto job = m_tracker.find(jobName);
    if (!job || job->isTerminal() || !m_jobs.contains(jobName))
        return;
    const PullObservation o = PullStateMapper::observe(m_jobs.value(jobName), m_podsByJob.value(jobName));
    if (o.unschedulable) {
        fail(*job, FailureReason::Unschedulable, o.waitingDetail, true);
        return;
    }
    if (!o.inPullBackOff)
        return;
    const QString known = m_pullErrors.value(jobName);
    if (!known.isEmpty()) {
        failStuckPull(jobName, known);
        return;
    }
    // The registry's answer was not seen: the pod's Failed events carry it.
    KubeCall *call = m_client->listEvents(job->namespaceName, job->podName, QStringLiteral("Pod"));
    connect(call, &KubeCall::finished, this, [this, jobName, o](KubeCall *call) {
        QString why;
        for (const QJsonValue &v : call->object().value(QStringLiteral("items")).toArray()) {
            const QString message = v.toObject().value(QStringLiteral("message")).toString();
            if (message.startsWith(QStringLiteral("Failed to pull image")))
                why = message;
        }
        failStuckPull(jobName, why.isEmpty() ? o.waitingDetail : why);
    });
}

void PullService::failStuckPull(const QString &jobName, const QString &why)
{
    const auto job = m_tracker.find(jobName);
    if (!job || job->isTerminal())
        return;
    const FailureReason reason = FailureClassifier::classifyPullError(why);
    fail(*job, reason, why.isEmpty() ? QStringLiteral("The source image could not be pulled") : why, true);
}

void PullService::fail(const PullJob &job, FailureReason reason, const QString &message, bool deleteJob)
{
    PullObservation o;
    o.stage = PullStage::Failed;
    o.reason = reason;
    o.message = message;
    m_tracker.apply(job, o);
    if (deleteJob) {
        // The cluster would keep retrying until the deadline: stop it.
        KubeCall *call = m_client->deleteJob(job.namespaceName, job.id);
        Q_UNUSED(call);
    }
}

void PullService::onFinished(const PullJob &job)
{
    delete m_graceTimers.take(job.id);
    qCInfo(lcPulls).noquote() << "pull" << job.id << "of" << job.imageReference() << "finished:"
                              << PullStates::toString(job.status) << PullStates::toString(job.reason);
    if (job.status == PullStatus::Completed) {
        if (m_history)
            m_history->record(job);
        Q_EMIT pullRecorded(job);
        return;
    }
    FailureDetails::collect(m_client, job, m_settings.logTailLines, this, [this](const PullJob &filled) {
        const auto current = m_tracker.find(filled.id);
        PullJob updated = current ? *current : filled;
        updated.events = filled.events;
        updated.sourceLogTail = filled.sourceLogTail;
        updated.pushLogTail = filled.pushLogTail;
        // The cause first.
        updated.message = FailureCause::leadingMessage(updated, m_settings.activeDeadlineSeconds);
        m_tracker.put(updated);
        if (m_history)
            m_history->record(updated);
        Q_EMIT pullRecorded(updated);
    });
}
