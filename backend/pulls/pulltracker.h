#pragma once

#include "pullhistoryquery.h"
#include "pullstatemapper.h"

#include "core/pulljob.h"

#include <QHash>
#include <QObject>

#include <optional>
#include <set>

namespace pw::core { class Clock; }

namespace pw::pulls {

// The state of every pull this instance knows: active ones, and finished ones up to the
// history limit. Changes are announced as copies; a terminal state is final.
class PullTracker : public QObject
{
    Q_OBJECT
public:
    PullTracker(core::Clock *clock, int historyLimit, QObject *parent = nullptr);

    // Merges what the cluster says into the pull `base` describes (id, image, tag, source,
    // target, creation time). Progress never goes backwards except to fail; a finished
    // pull does not change again.
    core::PullJob apply(const core::PullJob &base, const PullObservation &observation);
    // Stores a state as it is (details added, cancelled, loaded from history).
    void put(const core::PullJob &job);
    // Loads finished pulls from the history store without announcing them.
    void restore(const QList<core::PullJob> &finished);

    std::optional<core::PullJob> find(const QString &id) const;
    // Active pulls, oldest first.
    QList<core::PullJob> active() const;
    // Failed pulls, newest first.
    QList<core::PullJob> failed(int limit) const;
    QList<core::PullJob> finished() const;
    // One page of the history: what query.apply(finished()) gives, found from the query's
    // place in the order instead of copying every finished pull.
    QList<core::PullJob> finishedPage(const PullHistoryQuery &query) const;
    // The pull that fills a Harbor target: the active one, else the newest completed one.
    std::optional<core::PullJob> ownerOf(const QString &target) const;
    // The id of every pull known, active or finished.
    QList<QString> ids() const { return m_jobs.keys(); }
    // The ids of the pulls known for one Harbor target (what ownerOf and the next Job number
    // look at: a lookup, not a scan of every pull, so starting n pulls stays linear).
    QList<QString> idsOf(const QString &target) const { return m_byTarget.value(target); }
    int activeCount() const { return m_activeCount; }
    quint64 finishedCount(core::PullStatus status) const;

Q_SIGNALS:
    // Every change, as a copy.
    void changed(const core::PullJob &job);
    // Once per pull, when it completes or fails.
    void finishedPull(const core::PullJob &job);

private:
    void store(const core::PullJob &job, bool announce);
    void trimHistory();

    core::Clock *m_clock;
    int m_historyLimit;
    void forget(const QString &id);

    QHash<QString, core::PullJob> m_jobs;
    QHash<QString, QList<QString>> m_byTarget; // target → ids in m_jobs
    // The finished pulls in m_jobs, oldest first by (finish time, id): trimming drops from
    // the front and the lists walk it backwards, so a finish costs O(log n), not a sort.
    struct FinishedKey
    {
        QDateTime at;
        QString id;
        bool operator<(const FinishedKey &o) const { return at != o.at ? at < o.at : id < o.id; }
    };
    std::set<FinishedKey> m_finishedOrder;
    int m_activeCount = 0;
    quint64 m_completed = 0;
    quint64 m_failed = 0;
};

} // namespace pw::pulls
