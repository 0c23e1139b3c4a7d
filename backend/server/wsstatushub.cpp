#include "wsstatushub.h"

#include "wsjson.h"

#include "pulls/pulltracker.h"

namespace pw::server {

WsStatusHub::WsStatusHub(pulls::PullTracker *tracker, QObject *parent)
    : QObject(parent)
    , m_tracker(tracker)
{
    connect(m_tracker, &pulls::PullTracker::changed, this, &WsStatusHub::onChanged);
}

void WsStatusHub::subscribe(WsStatusSubscriber *subscriber, const QString &id)
{
    QSet<WsStatusSubscriber *> &set = id == kAll ? m_all : m_byJob[id];
    const qsizetype before = set.size();
    set.insert(subscriber);
    m_count += int(set.size() - before);
}

void WsStatusHub::unsubscribe(WsStatusSubscriber *subscriber, const QString &id)
{
    if (id == kAll) {
        m_count -= int(m_all.remove(subscriber));
        return;
    }
    const auto it = m_byJob.find(id);
    if (it == m_byJob.end())
        return;
    m_count -= int(it->remove(subscriber));
    if (it->isEmpty())
        m_byJob.erase(it);
}

void WsStatusHub::onChanged(const core::PullJob &job)
{
    const auto it = m_byJob.constFind(job.id);
    if (m_all.isEmpty() && it == m_byJob.constEnd())
        return;
    // Built once per change, whatever the number of subscribers.
    const QString message = WsJson::text(job.toStatusMessage());
    ++m_serialised;
    // Copies, taken before any delivery: a subscriber may unsubscribe while delivered to.
    const QSet<WsStatusSubscriber *> all = m_all;
    const QSet<WsStatusSubscriber *> some =
        it == m_byJob.constEnd() ? QSet<WsStatusSubscriber *>() : *it;
    for (WsStatusSubscriber *s : all)
        s->deliver(job, message);
    for (WsStatusSubscriber *s : some)
        if (!all.contains(s))
            s->deliver(job, message);
}

} // namespace pw::server
