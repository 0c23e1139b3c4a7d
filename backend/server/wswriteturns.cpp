#include "wswriteturns.h"

WsWriteTurns::WsWriteTurns(qint64 budgetBytes, QObject *parent)
    : QObject(parent)
    , m_budget(budgetBytes) {}

void WsWriteTurns::request(Writer *writer) {
    if (m_waiting.contains(writer))
        return;
    m_waiting.insert(writer);
    m_queue.append({writer, m_passes});
    schedule();
}

void WsWriteTurns::cancel(Writer *writer) {
    if (!m_waiting.remove(writer))
        return;
    m_queue.removeIf([writer](const Entry &e) { return e.writer == writer; });
}

void WsWriteTurns::schedule() {
    if (m_scheduled)
        return;
    m_scheduled = true;
    // Queued, so the sockets' own events (writes to the kernel, reads) run between passes.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_scheduled = false;
            runPass();
        },
        Qt::QueuedConnection);
}

void WsWriteTurns::runPass() {
    const quint64 pass = ++m_passes;
    const qint64 budget = passBudget();
    m_liveBytes = 0;
    // Entries queued during this pass (a writer that wants more, a new request) carry this
    // pass's number and wait for the next one.
    while (!m_queue.isEmpty() && m_queue.first().pass < pass) {
        Writer *writer = m_queue.takeFirst().writer;
        m_waiting.remove(writer);
        if (writer->writeTurn(budget) && !m_waiting.contains(writer)) {
            m_waiting.insert(writer);
            m_queue.append({writer, pass});
        }
    }
    if (!m_queue.isEmpty())
        schedule();
}
