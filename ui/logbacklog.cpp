#include "logbacklog.h"

namespace pw::ui {

void LogBacklog::add(LogBatch &&batch) {
    m_incoming.append(std::move(batch));
}

QList<LogBatch> LogBacklog::takeMerged() {
    QList<LogBatch> batches;
    batches.swap(m_incoming);
    QList<LogBatch> merged;
    for (LogBatch &b : batches) {
        LogBatch *run = merged.isEmpty() ? nullptr : &merged.last();
        const bool contiguous = run && b.source == run->source
            && (run->firstSeq < 0 ? b.firstSeq < 0
                                  : b.firstSeq == run->firstSeq + run->lines.size());
        if (contiguous)
            run->lines.append(std::move(b.lines));
        else
            merged.append(std::move(b));
    }
    return merged;
}

qint64 LogBacklog::hold() {
    qint64 arrived = 0;
    for (LogBatch &b : m_incoming) {
        arrived += b.lines.size();
        m_heldLines += b.lines.size();
        m_held.append(std::move(b));
    }
    m_incoming.clear();
    while (m_heldLines > m_limit && !m_held.isEmpty()) {
        LogBatch &front = m_held.first();
        const qint64 excess = m_heldLines - m_limit;
        if (front.lines.size() <= excess) {
            m_heldLines -= front.lines.size();
            m_dropped += front.lines.size();
            m_held.removeFirst();
        } else {
            front.lines.erase(front.lines.begin(), front.lines.begin() + excess);
            if (front.firstSeq >= 0)
                front.firstSeq += excess;
            m_heldLines -= excess;
            m_dropped += excess;
        }
    }
    return arrived;
}

qint64 LogBacklog::release() {
    const qint64 dropped = m_dropped;
    QList<LogBatch> held;
    held.swap(m_held);
    m_heldLines = 0;
    m_dropped = 0;
    m_incoming = held + m_incoming;
    return dropped;
}

} // namespace pw::ui
