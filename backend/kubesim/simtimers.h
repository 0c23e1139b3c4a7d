#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <map>
#include <utility>

namespace pw::kubesim {

// One timer for every simulated delay (a Job's steps, its deadline, its TTL): the deadlines
// are kept in an ordered map and a single QTimer is armed for the earliest. A QTimer per
// delay costs a sorted insertion into Qt's timer list each, which at 10,000 Jobs took a
// quarter of kubesim's CPU (bench/FINDINGS.md). Callbacks run on the event loop, never
// inside add(); one whose context object is gone is dropped.
class SimTimers : public QObject {
    Q_OBJECT
public:
    explicit SimTimers(QObject *parent = nullptr);

    // Runs `callback` after `ms` (0: on the next event-loop pass) unless `context` is deleted
    // or the returned id is cancelled first. Callbacks due at the same time run in the order
    // they were added.
    quint64 add(int ms, QObject *context, std::function<void()> callback);
    void cancel(quint64 id);
    int pending() const { return int(m_due.size()); }

private:
    struct Entry {
        QPointer<QObject> context;
        std::function<void()> callback;
    };
    void arm();
    void fire();

    QElapsedTimer m_clock;
    QTimer m_timer;
    std::map<std::pair<qint64, quint64>, Entry> m_entries; // (due ms, id) → entry
    QHash<quint64, qint64> m_due;                          // id → due ms
    quint64 m_nextId = 1;
};

} // namespace pw::kubesim
