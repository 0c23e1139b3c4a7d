// PullService: what administrators ask for — start, retry, cancel.
#include "pullservice.h"

#include "pullmanifest.h"
#include "pullslog.h"

#include "kube/kubecall.h"
#include "kube/kubeclient.h"

#include <memory>

namespace {
constexpr int kMaxReferences = 100;
} // namespace

std::optional<PullError> PullService::parseAll(const QStringList &references,
                                               QList<ImageReference> *out)
{
    if (references.isEmpty())
        return PullError{400, QStringLiteral("no image given: send {\"names\":[\"image:tag\",…]}, "
                                             "{\"name\":\"image\",\"tag\":\"tag\"} or "
                                             "{\"name\":\"image:tag\"}")};
    if (references.size() > kMaxReferences)
        return PullError{400, QStringLiteral("names has %1 entries; at most %2 are allowed")
                                  .arg(references.size())
                                  .arg(kMaxReferences)};
    for (qsizetype i = 0; i < references.size(); ++i) {
        const auto ref = ImageReference::parse(references[i]);
        if (!ref.ok())
            return PullError{400, QStringLiteral("names[%1] '%2': %3")
                                      .arg(i)
                                      .arg(references[i].left(200), ref.error())};
        out->append(ref.value());
    }
    return std::nullopt;
}

void PullService::startPulls(const QStringList &references, Started done)
{
    QList<ImageReference> refs;
    if (const auto error = parseAll(references, &refs)) {
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
    batch->ids.resize(refs.size());
    batch->done = std::move(done);
    batch->pending = 1;
    auto finishOne = [batch] {
        if (--batch->pending == 0)
            batch->done(batch->ids, batch->error);
    };
    QHash<QString, qsizetype> firstOfSource;
    for (qsizetype i = 0; i < refs.size(); ++i) {
        const QString source = refs[i].toString();
        const QString active = m_tracker.activeIdFor(source);
        if (!active.isEmpty()) {
            batch->ids[i] = active;
            continue;
        }
        if (firstOfSource.contains(source))
            continue; // the same image twice in one request: one Job
        firstOfSource.insert(source, i);
        ++batch->pending;
        createJob(refs[i], {}, [batch, i, finishOne](const QString &id, const std::optional<PullError> &e) {
            batch->ids[i] = id;
            if (e && !batch->error)
                batch->error = e;
            finishOne();
        });
    }
    // Fill duplicates within the request once their first occurrence is known.
    auto original = batch->done;
    batch->done = [original, refs, firstOfSource](QStringList ids, const std::optional<PullError> &e) {
        for (qsizetype i = 0; i < refs.size(); ++i)
            if (ids[i].isEmpty())
                ids[i] = ids[firstOfSource.value(refs[i].toString())];
        original(ids, e);
    };
    finishOne();
}

void PullService::createJob(const ImageReference &source, const QString &retryOf,
                            std::function<void(const QString &, const std::optional<PullError> &)> done)
{
    KubeCall *call = m_client->createJob(m_settings.namespaceName,
                                         PullManifest::build(source, m_settings, retryOf));
    const QString reference = source.toString();
    connect(call, &KubeCall::finished, this, [this, done, reference](KubeCall *call) {
        if (!call->ok()) {
            qCWarning(lcPulls).noquote() << "creating the pull job for" << reference
                                         << "failed:" << call->error().toString();
            done({}, PullError{502, QStringLiteral("the cluster refused the Job for %1: %2")
                                           .arg(reference, call->error().toString())});
            return;
        }
        const QJsonObject job = call->object();
        onJob(job); // tracked at once, before the watch reports it
        const QString id = job.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString();
        qCInfo(lcPulls).noquote() << "started pull" << id << "of" << reference;
        done(id, std::nullopt);
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
    const QString active = m_tracker.activeIdFor(source->toString());
    if (!active.isEmpty()) {
        done(active, std::nullopt);
        return;
    }
    createJob(source.value(), id, [this, id, done](const QString &newId, const std::optional<PullError> &e) {
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
            done(std::nullopt, PullError{502, QStringLiteral("the cluster refused to delete Job %1: %2")
                                                  .arg(id, call->error().toString())});
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
