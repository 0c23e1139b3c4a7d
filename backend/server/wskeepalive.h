#pragma once

#include "wsconfig.h"

#include <QTimer>

namespace pw::core { class Clock; }

namespace pw::server {

class WsConnection;
struct WsStats;

// The deadlines of one endpoint's WebSocket connections, kept with one timer for all of them
// (bench/FINDINGS.md §4: two QTimers per WebSocket, with their signal connections, cost more
// server memory than the rest of the connection). An open connection waits in the ping queue
// for its next ping, every pingIntervalMs (the pong and stall checks run then, as they did
// with a timer per connection); a closing one waits in the close queue for the end of its
// close grace. Both queues are sorted by deadline, and a new deadline is nearly always the
// latest, so an insert looks at the tail only; the timer is armed for the earlier head. Each
// connection keeps its own deadline to the millisecond, not a sweep period's.
//
// Also the state its connections share: config, stats, clock, and their count. Outlives its
// connections (WsApi deletes the sessions, which own them, first).
class WsKeepAlive
{
public:
    // `clock` is for tests; null is the system clock.
    WsKeepAlive(const WsConfig &config, WsStats *stats, core::Clock *clock = nullptr);
    ~WsKeepAlive();
    WsKeepAlive(const WsKeepAlive &) = delete;
    WsKeepAlive &operator=(const WsKeepAlive &) = delete;

    const WsConfig &config() const { return m_config; }
    WsStats *stats() const { return m_stats; }
    qint64 nowMs() const;
    // Connections created and not yet destroyed.
    int count() const { return m_count; }

    // Called by WsConnection only: its constructor, destructor, close and disconnect.
    void add(WsConnection *connection);
    void remove(WsConnection *connection);
    // No more pings; WsConnection::closeDeadline() runs at dueMs.
    void scheduleClose(WsConnection *connection, qint64 dueMs);
    // Out of both queues.
    void unschedule(WsConnection *connection);

private:
    enum Queue : quint8 { NoQueue, PingQueue, CloseQueue, QueueCount };
    struct List
    {
        WsConnection *head = nullptr;
        WsConnection *tail = nullptr;
    };

    void insert(WsConnection *connection, Queue queue, qint64 dueMs);
    void unlink(WsConnection *connection);
    void arm();
    void onTimer();

    WsConfig m_config;
    WsStats *m_stats;
    core::Clock *m_clock;
    QTimer m_timer;
    List m_lists[QueueCount];
    qint64 m_armedFor = -1; // the deadline m_timer is armed for while it is active
    int m_count = 0;
    bool m_inTimer = false;
};

} // namespace pw::server
