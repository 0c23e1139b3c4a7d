// PullService: what administrators ask for — start, retry, cancel.
#include "pullservice.h"

#include "harbortarget.h"
#include "pulljobname.h"
#include "pullmanifest.h"
#include "pullslog.h"

#include "kube/kubecall.h"
#include "kube/kubeclient.h"

#include <QJsonArray>

#include <memory>

namespace {

constexpr int kMaxReferences = 100;
constexpr int kMaxNameAttempts = 20;

// A Job that has finished or is being deleted: a new pull of its image needs another Job.
bool isFinished(const QJsonObject &job)
{
    if (job.value(QStringLiteral("metadata")).toObject().contains(QStringLiteral("deletionTimestamp")))
        return true;
    const QJsonArray conditions = job.value(QStringLiteral("status")).toObject().value(QStringLiteral("conditions")).toArray();
    for (const QJsonValue &v : conditions) {
        const QJsonObject c = v.toObject();
        const QString type = c.value(QStringLiteral("type")).toString();
        if ((type == u"Complete" || type == u"Failed") && c.value(QStringLiteral("status")).toString() == u"True")
            return true;
    }
    return false;
}

// docs/api.md: a cluster that cannot be reached or says it is unavailable for now (429, 503,
// 504) is a passing state: 503, and the client tries again. Any other error is the cluster
// refusing the request: 502.
PullError clusterError(const KubeError &error, const QString &refused, const QString &notDone)
{
    if (error.kind == KubeError::Kind::Network || error.code == 429 || error.code == 503
        || error.code == 504)
        return PullError{503, QStringLiteral("the cluster is unavailable (%1); %2: try again")
                                  .arg(error.toString(), notDone)};
    return PullError{502, QStringLiteral("%1: %2").arg(refused, error.toString())};
}

} // namespace

QString PullService::checkName(const QString &reference, Planned *out) const
{
    const auto ref = ImageReference::parse(reference);
    if (!ref.ok())
        return ref.error();
    if (const QString refused = m_settings.registryPolicy.check(ref.value()); !refused.isEmpty())
        return refused;
    const auto target = HarborTarget::of(ref.value(), m_settings);
    if (!target.ok())
        return target.error();
    *out = Planned{ref.value(), target.value()};
    return {};
}

std::optional<PullError> PullService::plan(const QStringList &references, QList<Planned> *out) const
{
    if (references.isEmpty())
        return PullError{400, QStringLiteral("no image given: send {\"names\":[\"image:tag\",…]}, "
                                             "{\"name\":\"image\",\"tag\":\"tag\"} or "
                                             "{\"name\":\"image:tag\"}")};
    if (references.size() > kMaxReferences)
        return PullError{400, QStringLiteral("names has %1 entries; at most %2 are allowed")
                                  .arg(references.size())
                                  .arg(kMaxReferences)};
    QHash<QString, qsizetype> byTarget;
    for (qsizetype i = 0; i < references.size(); ++i) {
        const QString shown = QStringLiteral("names[%1] '%2'").arg(i).arg(references[i].left(200));
        Planned planned;
        if (const QString wrong = checkName(references[i], &planned); !wrong.isEmpty())
            return PullError{400, shown + QStringLiteral(": ") + wrong};
        const QString source = planned.source.toString();
        // docs/architecture.md §2: one target, one source — a registry may not replace another's image.
        if (const auto owner = m_tracker.ownerOf(planned.target); owner && owner->source != source)
            return PullError{409, QStringLiteral("%1: its Harbor target '%2' belongs to pull '%3', "
                                                 "which copies '%4' there; a different source may "
                                                 "not replace it")
                                      .arg(shown, planned.target, owner->id, owner->source)};
        if (const auto j = byTarget.constFind(planned.target);
            j != byTarget.constEnd() && out->at(*j).source.toString() != source)
            return PullError{409, QStringLiteral("%1 and names[%2] would both be copied to '%3' "
                                                 "from different sources")
                                      .arg(shown)
                                      .arg(*j)
                                      .arg(planned.target)};
        byTarget.insert(planned.target, i);
        out->append(planned);
    }
    return std::nullopt;
}

std::optional<PullError> PullService::preview(const QStringList &references, QJsonArray *out) const
{
    QList<Planned> pulls;
    if (auto error = plan(references, &pulls))
        return error;
    for (qsizetype i = 0; i < pulls.size(); ++i) {
        const auto owner = m_tracker.ownerOf(pulls[i].target);
        out->append(QJsonObject{{QStringLiteral("name"), references[i]},
                                {QStringLiteral("source"), pulls[i].source.toString()},
                                {QStringLiteral("harbor_target"), pulls[i].target},
                                {QStringLiteral("active_job_id"),
                                 owner && !owner->isTerminal() ? owner->id : QString()}});
    }
    return std::nullopt;
}

void PullService::startPulls(const QStringList &references, Started done)
{
    QList<Planned> pulls;
    if (const auto error = plan(references, &pulls)) {
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

void PullService::createJob(const ImageReference &source, const QString &target, const QString &retryOf,
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
void PullService::createNamedJob(const ImageReference &source, const QString &target,
                                 const QString &retryOf, const QString &stem, int number,
                                 int attemptsLeft, Created done)
{
    const QString name = stem + QString::number(number);
    const QString ns = m_settings.namespaceName;
    KubeCall *call = m_client->createJob(ns, PullManifest::build(source, target, m_settings, retryOf, name));
    const QString reference = source.toString();
    auto refused = [done, reference](KubeCall *call) {
        qCWarning(lcPulls).noquote() << "creating the pull job for" << reference
                                     << "failed:" << call->error().toString();
        done({}, clusterError(call->error(),
                              QStringLiteral("the cluster refused the Job for %1").arg(reference),
                              QStringLiteral("no Job was created for %1").arg(reference)));
    };
    connect(call, &KubeCall::finished, this, [=](KubeCall *call) {
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
        KubeCall *get = m_client->getJob(ns, name);
        connect(get, &KubeCall::finished, this, [=](KubeCall *get) {
            if (get->ok() && !isFinished(get->object())) {
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
    const auto job = m_tracker.find(id);
    if (!job) {
        done({}, PullError{404, QStringLiteral("no pull with job_id '%1'").arg(id)});
        return;
    }
    if (job->status != PullStatus::Failed) {
        done({}, PullError{409, QStringLiteral("pull '%1' is %2; only a failed pull can be retried")
                                    .arg(id, PullStates::toString(job->status))});
        return;
    }
    const auto source = ImageReference::parse(job->source);
    if (!source.ok()) {
        done({}, PullError{409, QStringLiteral("pull '%1' has no usable source image: %2")
                                    .arg(id, source.error())});
        return;
    }
    // The registry policy may have been tightened since the first attempt.
    if (const QString refused = m_settings.registryPolicy.check(source.value()); !refused.isEmpty()) {
        done({}, PullError{400, QStringLiteral("pull '%1' cannot be retried: %2").arg(id, refused)});
        return;
    }
    QString target = job->target;
    if (target.isEmpty()) {
        const auto computed = HarborTarget::of(source.value(), m_settings);
        if (!computed.ok()) {
            done({}, PullError{409, QStringLiteral("pull '%1': %2").arg(id, computed.error())});
            return;
        }
        target = computed.value();
    }
    if (const auto owner = m_tracker.ownerOf(target); owner && !owner->isTerminal()) {
        if (owner->source != source->toString()) {
            done({}, PullError{409, QStringLiteral("pull '%1' cannot be retried now: its Harbor "
                                                   "target '%2' is being filled by pull '%3' from '%4'")
                                        .arg(id, target, owner->id, owner->source)});
            return;
        }
        done(owner->id, std::nullopt);
        return;
    }
    createJob(source.value(), target, id, [this, id, done](const QString &newId, const std::optional<PullError> &e) {
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
                                              .arg(id, PullStates::toString(job->status))});
        return;
    }
    m_cancelling.insert(id);
    KubeCall *call = m_client->deleteJob(job->namespaceName, id);
    connect(call, &KubeCall::finished, this, [this, id, done](KubeCall *call) {
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
            fail(*current, FailureReason::Cancelled, QStringLiteral("Cancelled by an administrator"), false);
        }
        done(m_tracker.find(id), std::nullopt);
    });
}
