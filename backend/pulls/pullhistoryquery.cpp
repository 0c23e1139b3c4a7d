#include "pullhistoryquery.h"

#include "core/timeformat.h"

namespace pw::pulls {

core::Result<PullHistoryQuery> PullHistoryQuery::parse(const QString &status, const QString &limit,
                                                 const QString &before, const QString &beforeId) {
    PullHistoryQuery q;
    if (!status.isNull()) {
        if (status == u"all")
            q.which = Which::All;
        else if (status == u"completed")
            q.which = Which::Completed;
        else if (status == u"failed")
            q.which = Which::Failed;
        else
            return core::Result<PullHistoryQuery>::failure(
                QStringLiteral("status must be completed, failed or all (default all); got '%1'")
                    .arg(status.left(40)));
    }
    if (!limit.isNull()) {
        bool ok = false;
        const int value = limit.toInt(&ok);
        if (!ok || value < 1 || value > kMaxLimit || limit.startsWith(u'+'))
            return core::Result<PullHistoryQuery>::failure(
                QStringLiteral("limit must be a whole number from 1 to %1 (default %2); got '%3'")
                    .arg(kMaxLimit)
                    .arg(kDefaultLimit)
                    .arg(limit.left(40)));
        q.limit = value;
    }
    if (!before.isNull()) {
        q.before = core::TimeFormat::parseRfc3339(before);
        if (!q.before.isValid())
            return core::Result<PullHistoryQuery>::failure(
                QStringLiteral("before must be an RFC 3339 time such as 2026-01-31T12:00:00Z "
                               "(the finished_at of the last pull of a page); got '%1'")
                    .arg(before.left(40)));
    }
    if (!beforeId.isNull()) {
        if (before.isNull() || beforeId.isEmpty() || beforeId.size() > 253)
            return core::Result<PullHistoryQuery>::failure(
                QStringLiteral("before_id must be the job_id of the last pull of a page (1 to 253 "
                               "characters), given together with before"));
        q.beforeId = beforeId;
    }
    return q;
}

QList<core::PullJob> PullHistoryQuery::apply(const QList<core::PullJob> &finished) const {
    QList<core::PullJob> page;
    for (const core::PullJob &job : finished) {
        if (!admits(job))
            continue;
        page.append(job);
        if (page.size() >= limit)
            break;
    }
    return page;
}

bool PullHistoryQuery::admits(const core::PullJob &job) const {
    if (which == Which::Completed && job.status != core::PullStatus::Completed)
        return false;
    if (which == Which::Failed && job.status != core::PullStatus::Failed)
        return false;
    // The order of PullTracker::finished: finished_at, then job_id, both descending.
    return !before.isValid() || job.finishedAt < before
        || (job.finishedAt == before && job.id < beforeId);
}

} // namespace pw::pulls
