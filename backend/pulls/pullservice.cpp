#include "pullservice.h"

#include "failureclassifier.h"
#include "failurecause.h"
#include "failuredetails.h"
#include "pulljobname.h"
#include "pullmanifest.h"
#include "pullslog.h"

#include "core/clock.h"
#include "core/pullhistory.h"
#include "core/timeformat.h"
#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeinformer.h"
#include "kube/kubejob.h"
#include "kube/kubeobject.h"
#include "kube/kubepod.h"

#include <QTimer>

#include <memory>

namespace pw::pulls {

PullService::PullService(kube::KubeClient *client, PullSettings settings,
                         core::PullHistory *history,
                         core::Clock *clock, QObject *parent)
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
    m_history->load([this](const QList<core::PullJob> &finished, const QString &error) {
        if (!error.isEmpty())
            qCWarning(lcPulls).noquote() << "history could not be loaded:" << error;
        m_tracker.restore(finished);
        qCInfo(lcPulls) << "history holds" << finished.size() << "finished pulls";
        startInformers();
    });
}

void PullService::startInformers()
{
    m_jobInformer = new kube::KubeInformer(m_client, kube::KubeInformer::Resource::Jobs,
                                     m_settings.namespaceName, PullManifest::selector(), this);
    m_podInformer = new kube::KubeInformer(m_client, kube::KubeInformer::Resource::Pods,
                                     m_settings.namespaceName, PullManifest::selector(), this);
    connect(m_jobInformer, &kube::KubeInformer::added, this, &PullService::onJob);
    connect(m_jobInformer, &kube::KubeInformer::modified, this, &PullService::onJob);
    connect(m_jobInformer, &kube::KubeInformer::deleted, this, &PullService::onJobDeleted);
    connect(m_podInformer, &kube::KubeInformer::added, this, &PullService::onPod);
    connect(m_podInformer, &kube::KubeInformer::modified, this, &PullService::onPod);
    connect(m_podInformer, &kube::KubeInformer::deleted, this, &PullService::onPodDeleted);
    auto markSynced = [this](bool *flag) {
        *flag = true;
        if (m_jobsSynced && m_podsSynced && !m_ready) {
            m_ready = true;
            qCInfo(lcPulls) << "cluster listed:" << m_tracker.activeCount() << "active pulls";
            Q_EMIT ready();
        }
    };
    connect(m_jobInformer, &kube::KubeInformer::synced, this, [=] { markSynced(&m_jobsSynced); });
    connect(m_podInformer, &kube::KubeInformer::synced, this, [=] { markSynced(&m_podsSynced); });
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

core::PullJob PullService::baseFor(const QJsonObject &job) const
{
    const QJsonObject meta = job.value(QStringLiteral("metadata")).toObject();
    const QJsonObject annotations = meta.value(QStringLiteral("annotations")).toObject();
    core::PullJob base;
    base.id = meta.value(QStringLiteral("name")).toString();
    base.namespaceName = meta.value(QStringLiteral("namespace")).toString(m_settings.namespaceName);
    base.source = annotations.value(PullManifest::kSourceAnnotation).toString();
    base.imageName = annotations.value(PullManifest::kImageAnnotation).toString();
    base.tag = annotations.value(PullManifest::kTagAnnotation).toString();
    base.target = annotations.value(PullManifest::kTargetAnnotation).toString();
    base.retryOf = annotations.value(PullManifest::kRetryOfAnnotation).toString();
    base.createdAt = core::TimeFormat::parseRfc3339(meta.value(QStringLiteral("creationTimestamp")).toString());
    if (!base.createdAt.isValid())
        base.createdAt = m_clock->now();
    base.updatedAt = base.createdAt;
    return base;
}

void PullService::onJob(const QJsonObject &job)
{
    const QString name = kube::KubeObject::name(job);
    m_jobs.insert(name, job);
    update(name);
}

void PullService::onJobDeleted(const QJsonObject &job)
{
    const QString name = kube::KubeObject::name(job);
    m_jobs.remove(name);
    m_podsByJob.remove(name);
    m_pullErrors.remove(name);
    m_confirming.remove(name);
    delete m_graceTimers.take(name);
    const auto current = m_tracker.find(name);
    if (!current || current->isTerminal())
        return;
    if (m_cancelling.remove(name)) {
        fail(*current, core::FailureReason::Cancelled,
             QStringLiteral("Cancelled by an administrator"), false);
        return;
    }
    fail(*current, core::FailureReason::Unknown, QStringLiteral("The pull job was deleted"), false);
}

void PullService::onPod(const QJsonObject &object)
{
    const kube::KubePod pod(object);
    const QString job = pod.jobName();
    if (job.isEmpty())
        return;
    // Follow the newest pod of a job (a retried job makes a new one).
    const kube::KubePod current = m_podsByJob.value(job);
    if (!current.isNull() && current.name() != pod.name() && current.createdAt() > pod.createdAt())
        return;
    m_podsByJob.insert(job, pod);
    update(job);
}

void PullService::onPodDeleted(const QJsonObject &object)
{
    const kube::KubePod pod(object);
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
    if (o.stage == core::PullStage::Failed && o.reason == core::FailureReason::BackoffLimitExceeded) {
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
    kube::KubeCall *call = m_client->listPods(ns, QStringLiteral("job-name=") + jobName);
    connect(call, &kube::KubeCall::finished, this, [this, jobName](kube::KubeCall *call) {
        if (!m_confirming.remove(jobName))
            return; // the job was deleted meanwhile
        for (const QJsonValue &v : call->object().value(QStringLiteral("items")).toArray()) {
            const kube::KubePod pod(v.toObject());
            const kube::KubePod current = m_podsByJob.value(jobName);
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
    const core::PullJob job = m_tracker.apply(baseFor(*jobIt), o);
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
        fail(*job, core::FailureReason::Unschedulable, o.waitingDetail, true);
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
    kube::KubeCall *call = m_client->listEvents(job->namespaceName, job->podName,
                                                QStringLiteral("Pod"));
    connect(call, &kube::KubeCall::finished, this, [this, jobName, o](kube::KubeCall *call) {
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
    const core::FailureReason reason = FailureClassifier::classifyPullError(why);
    fail(*job, reason, why.isEmpty() ? QStringLiteral("The source image could not be pulled") : why, true);
}

void PullService::fail(const core::PullJob &job, core::FailureReason reason, const QString &message,
                       bool deleteJob)
{
    PullObservation o;
    o.stage = core::PullStage::Failed;
    o.reason = reason;
    o.message = message;
    m_tracker.apply(job, o);
    if (deleteJob) {
        // The cluster would keep retrying until the deadline: stop it.
        kube::KubeCall *call = m_client->deleteJob(job.namespaceName, job.id);
        Q_UNUSED(call);
    }
}

void PullService::onFinished(const core::PullJob &job)
{
    delete m_graceTimers.take(job.id);
    qCInfo(lcPulls).noquote() << "pull" << job.id << "of" << job.imageReference() << "finished:"
                              << core::PullStates::toString(job.status) << core::PullStates::toString(job.reason);
    if (job.status == core::PullStatus::Completed) {
        if (m_history)
            m_history->record(job);
        Q_EMIT pullRecorded(job);
        return;
    }
    FailureDetails::collect(m_client, job, m_settings.logTailLines, this,
                            [this](const core::PullJob &filled) {
        const auto current = m_tracker.find(filled.id);
        core::PullJob updated = current ? *current : filled;
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

namespace {

constexpr int kMaxNameAttempts = 20;

// docs/api.md: a cluster that cannot be reached or says it is unavailable for now (429, 503,
// 504) is a passing state: 503, and the client tries again. Any other error is the cluster
// refusing the request: 502.
PullError clusterError(const kube::KubeError &error, const QString &refused, const QString &notDone)
{
    if (error.kind == kube::KubeError::Kind::Network || error.code == 429 || error.code == 503
        || error.code == 504)
        return PullError{503, QStringLiteral("the cluster is unavailable (%1); %2: try again")
                                  .arg(error.toString(), notDone)};
    return PullError{502, QStringLiteral("%1: %2").arg(refused, error.toString())};
}

} // namespace

void PullService::startPulls(const QStringList &references, Started done)
{
    QList<PlannedPull> pulls;
    if (const auto error = planner().plan(references, &pulls)) {
        done({}, error);
        return;
    }
    struct Batch
    {
        QStringList ids;
        int pending = 0;
        std::optional<PullError> error;
        Started done;
    };
    auto batch = std::make_shared<Batch>();
    batch->ids.resize(pulls.size());
    batch->done = std::move(done);
    batch->pending = 1;
    auto finishOne = [batch] {
        if (--batch->pending == 0)
            batch->done(batch->ids, batch->error);
    };
    QHash<QString, qsizetype> firstOfTarget;
    for (qsizetype i = 0; i < pulls.size(); ++i) {
        const QString &target = pulls[i].target;
        if (const auto owner = m_tracker.ownerOf(target); owner && !owner->isTerminal()) {
            batch->ids[i] = owner->id;
            continue;
        }
        if (firstOfTarget.contains(target))
            continue; // the same image twice in one request: one Job
        firstOfTarget.insert(target, i);
        ++batch->pending;
        createJob(pulls[i].source, target, {},
                  [batch, i, finishOne](const QString &id, const std::optional<PullError> &e) {
                      batch->ids[i] = id;
                      if (e && !batch->error)
                          batch->error = e;
                      finishOne();
                  });
    }
    // Fill duplicates within the request once their first occurrence is known.
    auto original = batch->done;
    batch->done = [original, pulls, firstOfTarget](QStringList ids, const std::optional<PullError> &e) {
        for (qsizetype i = 0; i < pulls.size(); ++i)
            if (ids[i].isEmpty())
                ids[i] = ids[firstOfTarget.value(pulls[i].target)];
        original(ids, e);
    };
    finishOne();
}

void PullService::createJob(const core::ImageReference &source, const QString &target,
                            const QString &retryOf,
                            Created done)
{
    const QString stem = PullJobName::stem(source.toString(), target);
    createNamedJob(source, target, retryOf, stem, PullJobName::next(stem, m_tracker.idsOf(target)),
                   kMaxNameAttempts, std::move(done));
}

// docs/architecture.md §2, "One Job per image": the n-th Job of a source and target has the
// same name on every replica; the API server lets one create it (409 AlreadyExists for the
// others), and a replica that loses follows the winner's Job. A finished Job of that name
// means the next pull is number n+1.
void PullService::createNamedJob(const core::ImageReference &source, const QString &target,
                                 const QString &retryOf, const QString &stem, int number,
                                 int attemptsLeft, Created done)
{
    const QString name = stem + QString::number(number);
    const QString ns = m_settings.namespaceName;
    kube::KubeCall *call = m_client->createJob(ns, PullManifest::build(source, target, m_settings,
                                                                       retryOf, name));
    const QString reference = source.toString();
    auto refused = [done, reference](kube::KubeCall *call) {
        qCWarning(lcPulls).noquote() << "creating the pull job for" << reference
                                     << "failed:" << call->error().toString();
        done({}, clusterError(call->error(),
                              QStringLiteral("the cluster refused the Job for %1").arg(reference),
                              QStringLiteral("no Job was created for %1").arg(reference)));
    };
    connect(call, &kube::KubeCall::finished, this, [=](kube::KubeCall *call) {
        if (call->ok()) {
            onJob(call->object()); // tracked at once, before the watch reports it
            qCInfo(lcPulls).noquote() << "started pull" << name << "of" << reference;
            done(name, std::nullopt);
            return;
        }
        if (call->error().code != 409 || attemptsLeft <= 1) {
            refused(call);
            return;
        }
        kube::KubeCall *get = m_client->getJob(ns, name);
        connect(get, &kube::KubeCall::finished, this, [=](kube::KubeCall *get) {
            if (get->ok() && !kube::KubeJob(get->object()).isFinishedOrDeleting()) {
                onJob(get->object());
                qCInfo(lcPulls).noquote() << "pull" << name << "of" << reference
                                          << "was started by another replica; following it";
                done(name, std::nullopt);
                return;
            }
            if (!get->ok() && !get->error().isNotFound()) {
                refused(get);
                return;
            }
            // Finished: the next number. Deleted meanwhile: the name is free again.
            createNamedJob(source, target, retryOf, stem, get->ok() ? number + 1 : number,
                           attemptsLeft - 1, done);
        });
    });
}

void PullService::retry(const QString &id, Retried done)
{
    PlannedPull pull;
    QString active;
    if (const auto error = planner().planRetry(id, &pull, &active)) {
        done({}, error);
        return;
    }
    if (!active.isEmpty()) {
        done(active, std::nullopt);
        return;
    }
    createJob(pull.source, pull.target, id, [this, id, done](const QString &newId, const std::optional<PullError> &e) {
        if (!e) {
            if (auto old = m_tracker.find(id)) {
                old->retriedBy = newId;
                m_tracker.put(*old);
            }
            if (auto fresh = m_tracker.find(newId); fresh && fresh->retryOf.isEmpty()) {
                fresh->retryOf = id;
                m_tracker.put(*fresh);
            }
        }
        done(newId, e);
    });
}

void PullService::cancel(const QString &id, Cancelled done)
{
    const auto job = m_tracker.find(id);
    if (!job) {
        done(std::nullopt, PullError{404, QStringLiteral("no pull with job_id '%1'").arg(id)});
        return;
    }
    if (job->isTerminal()) {
        done(std::nullopt, PullError{409, QStringLiteral("pull '%1' has already %2; only an active "
                                                         "pull can be cancelled")
                                              .arg(id, core::PullStates::toString(job->status))});
        return;
    }
    m_cancelling.insert(id);
    kube::KubeCall *call = m_client->deleteJob(job->namespaceName, id);
    connect(call, &kube::KubeCall::finished, this, [this, id, done](kube::KubeCall *call) {
        if (!call->ok() && !call->error().isNotFound()) {
            m_cancelling.remove(id);
            done(std::nullopt,
                 clusterError(call->error(), QStringLiteral("the cluster refused to delete Job %1").arg(id),
                              QStringLiteral("Job %1 was not deleted").arg(id)));
            return;
        }
        // Recorded now; the watch's delete event finds it finished already.
        if (auto current = m_tracker.find(id); current && !current->isTerminal()) {
            m_cancelling.remove(id);
            fail(*current, core::FailureReason::Cancelled,
                 QStringLiteral("Cancelled by an administrator"), false);
        }
        done(m_tracker.find(id), std::nullopt);
    });
}

} // namespace pw::pulls
