#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace pw::core {

// One completion callback to deliver: a pull's JSON POSTed to one URL (docs/architecture.md §13).
struct Notification {
    QString key; // <job id>/<status>/<url hash>: one per state change and URL
    QString url;
    QByteArray body;
    int attempts = 0;
    QDateTime firstAt; // when it was queued; given up an hour later
    QDateTime due;     // the next attempt

    QJsonObject toJson() const;
    static Notification fromJson(const QJsonObject &object);
};

// Where undelivered callbacks wait, in the history store so that they survive restarts and,
// when the store is shared (Redis), are queued once for every replica. Callbacks run on the
// event loop.
class NotifyQueue {
public:
    enum class Lease { Mine, Busy, Gone };

    virtual ~NotifyQueue() = default;
    // Queues `n` unless its key was queued before, by this or another replica: done(true)
    // for the one that queued it, false for everyone else.
    virtual void add(const Notification &n, std::function<void(bool added)> done) = 0;
    // Everything still queued.
    virtual void pending(std::function<void(const QList<Notification> &)> done) = 0;
    // The right to make one attempt at `n` for up to `ms` milliseconds: Busy while another
    // replica has it, Gone when it is no longer queued (delivered or given up elsewhere).
    // With Mine comes the queued state, which another replica may have moved on.
    using Leased = std::function<void(Lease, const Notification &current)>;
    virtual void lease(const Notification &n, int ms, Leased done) = 0;
    // After a failed attempt: its count and next due time. Ends the attempt's lease.
    virtual void update(const Notification &n) = 0;
    // Delivered, or given up. Ends the attempt's lease.
    virtual void remove(const QString &key) = 0;
};

} // namespace pw::core
