#include "wskeepalive.h"

#include "wsconnection.h"

#include "core/clock.h"

#include <limits>

namespace pw::server {

WsKeepAlive::WsKeepAlive(const WsConfig &config, WsStats *stats, core::Clock *clock)
    : m_config(config)
    , m_stats(stats)
    , m_clock(clock ? clock : core::Clock::system())
{
    // Armed for an exact deadline each time: the per-connection timers this replaces were
    // coarse (up to 5 % late); a deadline is now met to the millisecond.
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { onTimer(); });
}

WsKeepAlive::~WsKeepAlive()
{
    // Connections still queued (none when the owner keeps to its lifetime rule) must not
    // point into this object's lists any more.
    for (List &list : m_lists) {
        while (WsConnection *c = list.head)
            unlink(c);
    }
}

qint64 WsKeepAlive::nowMs() const
{
    return m_clock->monotonicMs();
}

void WsKeepAlive::add(WsConnection *connection)
{
    ++m_count;
    insert(connection, PingQueue, nowMs() + qMax(1, m_config.pingIntervalMs));
}

void WsKeepAlive::remove(WsConnection *connection)
{
    unlink(connection);
    --m_count;
}

void WsKeepAlive::scheduleClose(WsConnection *connection, qint64 dueMs)
{
    insert(connection, CloseQueue, dueMs);
}

void WsKeepAlive::unschedule(WsConnection *connection)
{
    unlink(connection);
}

void WsKeepAlive::insert(WsConnection *connection, Queue queue, qint64 dueMs)
{
    unlink(connection);
    List &list = m_lists[queue];
    // From the tail: deadlines are "now + a fixed interval", so the new one is nearly always
    // the latest. Equal deadlines keep their order.
    WsConnection *after = list.tail;
    while (after && after->m_dueMs > dueMs)
        after = after->m_prev;
    connection->m_dueMs = dueMs;
    connection->m_queue = queue;
    connection->m_prev = after;
    connection->m_next = after ? after->m_next : list.head;
    if (connection->m_next)
        connection->m_next->m_prev = connection;
    else
        list.tail = connection;
    if (after)
        after->m_next = connection;
    else
        list.head = connection;
    if (list.head == connection)
        arm();
}

void WsKeepAlive::unlink(WsConnection *connection)
{
    if (connection->m_queue == NoQueue)
        return;
    List &list = m_lists[connection->m_queue];
    if (connection->m_prev)
        connection->m_prev->m_next = connection->m_next;
    else
        list.head = connection->m_next;
    if (connection->m_next)
        connection->m_next->m_prev = connection->m_prev;
    else
        list.tail = connection->m_prev;
    connection->m_prev = connection->m_next = nullptr;
    connection->m_queue = NoQueue;
    // The timer stays armed for a head that left: it then fires, finds nothing due and arms
    // for the next head. Cheaper than rearming on every disconnect.
}

void WsKeepAlive::arm()
{
    if (m_inTimer)
        return; // onTimer() arms once it has gone through what is due
    qint64 next = -1;
    for (const List &list : m_lists) {
        if (list.head && (next < 0 || list.head->m_dueMs < next))
            next = list.head->m_dueMs;
    }
    if (next < 0) {
        m_timer.stop();
        return;
    }
    if (m_timer.isActive() && m_armedFor <= next)
        return;
    m_armedFor = next;
    const qint64 wait =
        qBound(qint64(0), next - nowMs(), qint64(std::numeric_limits<int>::max()));
    m_timer.start(int(wait));
}

void WsKeepAlive::onTimer()
{
    m_inTimer = true;
    const qint64 now = nowMs();
    const qint64 interval = qMax(1, m_config.pingIntervalMs);
    // A callback may close, abort or even delete other connections of this endpoint: the
    // head is read again each time, and a connection is requeued or dequeued before its own
    // callback runs.
    List &closing = m_lists[CloseQueue];
    while (closing.head && closing.head->m_dueMs <= now) {
        WsConnection *c = closing.head;
        unlink(c);
        c->closeDeadline();
    }
    List &pings = m_lists[PingQueue];
    while (pings.head && pings.head->m_dueMs <= now) {
        WsConnection *c = pings.head;
        // Every pingIntervalMs from the first ping, as a repeating timer would; a timer that
        // fired a whole interval late (a blocked event loop) sends one ping, not a burst.
        qint64 next = c->m_dueMs + interval;
        if (next <= now)
            next = now + interval;
        insert(c, PingQueue, next);
        c->pingDue();
    }
    m_inTimer = false;
    arm();
}

} // namespace pw::server
