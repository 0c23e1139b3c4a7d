#include "linesplitter.h"

qsizetype LineSplitter::utf8Boundary(QByteArrayView data, qsizetype max) {
    if (data.size() <= max)
        return data.size();
    qsizetype end = max;
    // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
    while (end > 0 && (uchar(data[end]) & 0xC0) == 0x80)
        --end;
    return end;
}

void LineSplitter::reset() {
    m_partial.clear();
    m_skipping = false;
}

void LineSplitter::take(QByteArrayView line, QList<Line> *out) {
    if (line.endsWith('\r'))
        line.chop(1);
    out->append({line.toByteArray(), false});
}

void LineSplitter::feed(QByteArrayView data, QList<Line> *out) {
    while (!data.isEmpty()) {
        const qsizetype nl = data.indexOf('\n');
        const QByteArrayView head = nl < 0 ? data : data.first(nl);
        data = nl < 0 ? QByteArrayView() : data.sliced(nl + 1);
        if (m_skipping) {
            m_skipping = nl < 0;
            continue;
        }
        if (nl >= 0 && m_partial.isEmpty() && head.size() <= m_max) {
            take(head, out); // the common case: no copy into m_partial
            continue;
        }
        m_partial.append(head);
        if (m_partial.size() > m_max) {
            m_partial.truncate(utf8Boundary(m_partial, m_max));
            out->append({std::exchange(m_partial, {}), true});
            m_skipping = nl < 0;
            continue;
        }
        if (nl >= 0)
            take(std::exchange(m_partial, {}), out);
    }
}
