#pragma once

#include "wsclientmessage.h"

#include "core/pulljob.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

namespace pw::pulls { class PullTracker; }

namespace pw::server {

// Receives pull status messages from the hub.
class WsStatusSubscriber
{
public:
    virtual ~WsStatusSubscriber() = default;
    // `message` is the serialised status message, shared by every subscriber.
    virtual void deliver(const core::PullJob &job, const QString &message) = 0;
};

// Fans pull changes out to WebSocket subscribers (docs/architecture.md §4): each change of the tracker
// is serialised once and the same message goes to the subscribers of that job and of "*".
class WsStatusHub : public QObject
{
    Q_OBJECT
public:
    static inline const QString &kAll = WsClientMessage::kAllJobs;

    explicit WsStatusHub(pulls::PullTracker *tracker, QObject *parent = nullptr);

    pulls::PullTracker *tracker() const { return m_tracker; }
    // `id` is a job name or "*" (every pull, including ones started later).
    void subscribe(WsStatusSubscriber *subscriber, const QString &id);
    void unsubscribe(WsStatusSubscriber *subscriber, const QString &id);
    int subscriptionCount() const { return m_count; }
    quint64 changesSerialised() const { return m_serialised; }

private:
    void onChanged(const core::PullJob &job);

    pulls::PullTracker *m_tracker;
    QHash<QString, QSet<WsStatusSubscriber *>> m_byJob;
    QSet<WsStatusSubscriber *> m_all;
    int m_count = 0;
    quint64 m_serialised = 0;
};

} // namespace pw::server
