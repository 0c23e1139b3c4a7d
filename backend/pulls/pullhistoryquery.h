#pragma once

#include "core/pulljob.h"
#include "core/result.h"

#include <QDateTime>
#include <QList>

namespace pw::pulls {

// GET /images/pull-history (docs/architecture.md §3): finished pulls, completed and failed,
// newest first (by finished_at, then job_id), a page at a time. The next page is asked for
// with `before` and `before_id` = the `finished_at` and `job_id` of the last pull of this one
// (pulls that finished in the same millisecond stay in order across pages).
struct PullHistoryQuery {
    enum class Which { All, Completed, Failed };
    static constexpr int kDefaultLimit = 50;
    static constexpr int kMaxLimit = 500;

    Which which = Which::All;
    int limit = kDefaultLimit;
    QDateTime before; // only pulls after this place in the order; invalid: no bound
    QString beforeId; // with `before`: the job_id of the last pull of the previous page

    // The parameters as given (null: absent); the error names the parameter and what is allowed.
    static core::Result<PullHistoryQuery> parse(const QString &status, const QString &limit,
                                          const QString &before, const QString &beforeId = {});
    // `finished` newest first (as PullTracker::finished gives it) → this page.
    QList<core::PullJob> apply(const QList<core::PullJob> &finished) const;
    // The pull is on a page of this query: its status, and after `before`/`beforeId`.
    bool admits(const core::PullJob &job) const;
};

} // namespace pw::pulls
