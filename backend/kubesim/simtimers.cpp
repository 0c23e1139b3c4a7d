#include "simtimers.h"

#include <climits>

namespace pw::kubesim {

SimTimers::SimTimers(QObject *parent)
    : QObject(parent) {
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SimTimers::fire);
}

quint64 SimTimers::add(int ms, QObject *context, std::function<void()> callback) {
    const quint64 id = m_nextId++;
    const qint64 due = m_clock.elapsed() + qMax(0, ms);
    m_entries.emplace(std::make_pair(due, id), Entry{context, std::move(callback)});
    m_due.insert(id, due);
    arm();
    return id;
}

void SimTimers::cancel(quint64 id) {
    const auto it = m_due.constFind(id);
    if (it == m_due.cend())
        return;
    m_entries.erase(std::make_pair(it.value(), id));
    m_due.erase(it);
    arm();
}

void SimTimers::arm() {
    if (m_entries.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = qMax<qint64>(0, m_entries.begin()->first.first - m_clock.elapsed());
    const int ms = int(qMin<qint64>(wait, INT_MAX / 2));
    // Re-armed only when the earliest deadline moves, not on every add.
    if (!m_timer.isActive() || m_timer.remainingTime() > ms)
        m_timer.start(ms);
}

void SimTimers::fire() {
    const qint64 now = m_clock.elapsed();
    const quint64 addedBefore = m_nextId;
    // Only what was due when this pass began: a callback that adds a 0 ms delay runs on the
    // next pass (entries due at the same time sort by id, the new ones last).
    while (!m_entries.empty() && m_entries.begin()->first.first <= now
           && m_entries.begin()->first.second < addedBefore) {
        auto first = m_entries.begin();
        const quint64 id = first->first.second;
        Entry entry = std::move(first->second);
        m_entries.erase(first);
        m_due.remove(id);
        if (entry.context)
            entry.callback();
    }
    m_timer.stop();
    arm();
}

} // namespace pw::kubesim
