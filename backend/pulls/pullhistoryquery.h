#pragma once

#include "core/pulljob.h"
#include "core/result.h"

#include <QDateTime>
#include <QList>

// GET /images/pull-history (docs/architecture.md §3): finished pulls, completed and failed,
// newest first, a page at a time. The next page is asked for with `before` = the
// `finished_at` of the last pull of this one.
struct PullHistoryQuery {
    enum class Which { All, Completed, Failed };
    static constexpr int kDefaultLimit = 50;
    static constexpr int kMaxLimit = 500;

    Which which = Which::All;
    int limit = kDefaultLimit;
    QDateTime before; // only pulls finished strictly before; invalid: no bound

    // The parameters as given (null: absent); the error names the parameter and what is allowed.
    static Result<PullHistoryQuery> parse(const QString &status, const QString &limit,
                                          const QString &before);
    // `finished` newest first (as PullTracker::finished gives it) → this page.
    QList<PullJob> apply(const QList<PullJob> &finished) const;
};
