#include "pulltracker.h"

#include "core/clock.h"

#include <algorithm>
#include <iterator>

namespace pw::pulls {

PullTracker::PullTracker(core::Clock *clock, int historyLimit, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_historyLimit(historyLimit)
{
}

core::PullJob PullTracker::apply(const core::PullJob &base, const PullObservation &o)
{
    const auto existing = m_jobs.constFind(base.id);
    core::PullJob job = existing != m_jobs.constEnd() ? *existing : base;
    if (job.isTerminal())
        return job;
    core::PullJob next = job;
    if (!o.node.isEmpty())
        next.node = o.node;
    if (!o.podName.isEmpty())
        next.podName = o.podName;
    if (o.stage == core::PullStage::Failed) {
        next.stage = core::PullStage::Failed;
        next.status = core::PullStatus::Failed;
        next.reason = o.reason;
        next.message = o.message;
    } else if (o.stage == core::PullStage::Completed) {
        next.stage = core::PullStage::Completed;
        next.status = core::PullStatus::Completed;
        next.progress = 100;
        next.message = o.message;
    } else if (core::PullStates::progressOf(o.stage) >= next.progress) {
        next.stage = o.stage;
        next.status = core::PullStates::statusOf(o.stage);
        next.progress = core::PullStates::progressOf(o.stage);
        next.message = o.message;
    }
    if (next.isTerminal())
        next.finishedAt = m_clock->now();
    const bool differs = next.stage != job.stage || next.message != job.message
        || next.node != job.node || next.podName != job.podName || next.status != job.status
        || existing == m_jobs.constEnd();
    if (!differs)
        return job;
    next.updatedAt = m_clock->now();
    store(next, true);
    return next;
}

void PullTracker::put(const core::PullJob &job)
{
    // Announced only when what subscribers and lists show changes: the failure details
    // collected after a pull ended (events, log tails) must not send its final status again.
    const auto it = m_jobs.constFind(job.id);
    const bool visible = it == m_jobs.constEnd() || it->toStatusMessage() != job.toStatusMessage()
        || it->toSummaryJson() != job.toSummaryJson();
    store(job, visible);
}

void PullTracker::restore(const QList<core::PullJob> &finished)
{
    for (const core::PullJob &job : finished)
        if (!m_jobs.contains(job.id))
            store(job, false);
}

void PullTracker::store(const core::PullJob &job, bool announce)
{
    const auto it = m_jobs.find(job.id);
    const bool wasActive = it != m_jobs.end() && !it->isTerminal();
    const bool wasTerminal = it != m_jobs.end() && it->isTerminal();
    if (it == m_jobs.end() || it->target != job.target) {
        if (it != m_jobs.end())
            m_byTarget[it->target].removeOne(job.id);
        m_byTarget[job.target].append(job.id);
    }
    if (wasTerminal)
        m_finishedOrder.erase(FinishedKey{it->finishedAt, job.id});
    if (job.isTerminal())
        m_finishedOrder.insert(FinishedKey{job.finishedAt, job.id});
    m_jobs.insert(job.id, job);
    m_activeCount += (job.isTerminal() ? 0 : 1) - (wasActive ? 1 : 0);
    const bool nowFinished = job.isTerminal() && !wasTerminal;
    if (nowFinished) {
        if (job.status == core::PullStatus::Completed)
            ++m_completed;
        else
            ++m_failed;
        trimHistory();
    }
    if (!announce)
        return;
    Q_EMIT changed(job);
    if (nowFinished)
        Q_EMIT finishedPull(job);
}

void PullTracker::trimHistory()
{
    // The oldest beyond the limit go, newest of them first (the order a sorted list cut at
    // the limit gives).
    const auto excess = qsizetype(m_finishedOrder.size()) - m_historyLimit;
    if (excess <= 0)
        return;
    QList<QString> gone;
    gone.reserve(excess);
    for (auto it = m_finishedOrder.begin(); gone.size() < excess; ++it)
        gone.append(it->id);
    for (auto it = gone.crbegin(); it != gone.crend(); ++it)
        forget(*it);
}

void PullTracker::forget(const QString &id)
{
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.constEnd())
        return;
    if (it->isTerminal())
        m_finishedOrder.erase(FinishedKey{it->finishedAt, id});
    QList<QString> &ids = m_byTarget[it->target];
    ids.removeOne(id);
    if (ids.isEmpty())
        m_byTarget.remove(it->target);
    m_jobs.erase(it);
}

std::optional<core::PullJob> PullTracker::find(const QString &id) const
{
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.constEnd())
        return std::nullopt;
    return *it;
}

QList<core::PullJob> PullTracker::active() const
{
    QList<core::PullJob> out;
    out.reserve(m_activeCount);
    for (const core::PullJob &job : m_jobs)
        if (!job.isTerminal())
            out.append(job);
    std::sort(out.begin(), out.end(), [](const core::PullJob &a, const core::PullJob &b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
    });
    return out;
}

QList<core::PullJob> PullTracker::finished() const
{
    // Newest first: the index backwards, ties on the finish time by id, descending.
    QList<core::PullJob> out;
    out.reserve(qsizetype(m_finishedOrder.size()));
    for (auto it = m_finishedOrder.crbegin(); it != m_finishedOrder.crend(); ++it)
        out.append(*m_jobs.constFind(it->id));
    return out;
}

QList<core::PullJob> PullTracker::finishedPage(const PullHistoryQuery &query) const
{
    // Every pull ordered before (query.before, query.beforeId) comes before lower_bound.
    const auto end = query.before.isValid()
        ? m_finishedOrder.lower_bound(FinishedKey{query.before, query.beforeId})
        : m_finishedOrder.end();
    QList<core::PullJob> out;
    for (auto it = std::make_reverse_iterator(end);
         it != m_finishedOrder.crend() && out.size() < query.limit; ++it) {
        const core::PullJob &job = *m_jobs.constFind(it->id);
        if (query.admits(job))
            out.append(job);
    }
    return out;
}

QList<core::PullJob> PullTracker::failed(int limit) const
{
    QList<core::PullJob> out;
    for (auto it = m_finishedOrder.crbegin(); it != m_finishedOrder.crend(); ++it) {
        const core::PullJob &job = *m_jobs.constFind(it->id);
        if (job.status != core::PullStatus::Failed)
            continue;
        out.append(job);
        if (out.size() >= limit)
            break;
    }
    return out;
}

std::optional<core::PullJob> PullTracker::ownerOf(const QString &target) const
{
    const core::PullJob *owner = nullptr;
    for (const QString &id : m_byTarget.value(target)) {
        const core::PullJob &job = *m_jobs.constFind(id);
        if (job.status == core::PullStatus::Failed)
            continue;
        if (!job.isTerminal())
            return job;
        if (!owner || job.finishedAt > owner->finishedAt)
            owner = &job;
    }
    if (!owner)
        return std::nullopt;
    return *owner;
}

quint64 PullTracker::finishedCount(core::PullStatus status) const
{
    return status == core::PullStatus::Completed ? m_completed : m_failed;
}

} // namespace pw::pulls
