#pragma once

#include <QList>
#include <QObject>
#include <QSet>

// Fair turns for log viewers that have lines to send from a stream's ring (docs/architecture.md
// §4): once per event-loop pass each waiting writer may write up to a budget, in the order
// they asked; one that still has lines goes to the back and waits for the next pass. One
// fast socket therefore cannot take a pass from the others. The budget is budgetBytes, or
// what live frames carried to an up-to-date viewer since the last pass if that is more, so a
// viewer catching up gets as much of a pass as the viewers that are up to date.
class WsWriteTurns : public QObject {
    Q_OBJECT
public:
    class Writer {
    public:
        virtual ~Writer() = default;
        // Writes what it can, at most about `budgetBytes` (always whole frames, at least
        // one); true when it has more to write and can take it (then it waits for the next
        // pass), false when it is done or its connection is full (it asks again once drained).
        virtual bool writeTurn(qint64 budgetBytes) = 0;
    };

    explicit WsWriteTurns(qint64 budgetBytes, QObject *parent = nullptr);

    // Queues `writer` for the next pass (nothing if it is waiting already).
    void request(Writer *writer);
    // Takes `writer` out (a viewer that leaves); safe during a pass.
    void cancel(Writer *writer);
    // A stream offered a live frame of `bytes` to each of its up-to-date viewers.
    void noteLiveFrame(qint64 bytes) { m_liveBytes += bytes; }
    // What the next pass gives each writer.
    qint64 passBudget() const { return qMax(m_budget, m_liveBytes); }
    bool isWaiting(Writer *writer) const { return m_waiting.contains(writer); }
    int waitingCount() const { return int(m_waiting.size()); }
    quint64 passes() const { return m_passes; }
    qint64 budgetBytes() const { return m_budget; }

    // One pass: every writer waiting when it starts gets one turn, oldest request first.
    // Runs by itself on the next event-loop pass after a request; public for tests.
    void runPass();

private:
    struct Entry {
        Writer *writer;
        quint64 pass; // the pass in which it was queued: served by the passes after it
    };
    void schedule();

    qint64 m_budget;
    qint64 m_liveBytes = 0; // live frame bytes offered since the last pass
    QList<Entry> m_queue;
    QSet<Writer *> m_waiting;
    quint64 m_passes = 0;
    bool m_scheduled = false;
};
