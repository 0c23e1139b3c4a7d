#include "containerlog.h"

#include <QDateTime>

#include <chrono>
#include <cstdio>

namespace pw::kubesim {

ContainerLog::ContainerLog(QObject *parent)
    : QObject(parent) {
    m_tick.setInterval(20);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_total > 0 && generatedEnd() >= m_total) {
            finish();
            return;
        }
        Q_EMIT grew();
    });
}

qint64 ContainerLog::nowNs() {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

QByteArray ContainerLog::formatTimestamp(qint64 ns) {
    // The seconds part changes rarely: format it once per second per thread.
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const qint64 second = ns / 1000000000;
    if (second != cachedSecond) {
        cachedSecond = second;
        cached = QDateTime::fromSecsSinceEpoch(second, Qt::UTC)
                     .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
                     .toLatin1();
    }
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09lldZ", static_cast<long long>(ns % 1000000000));
    return cached + frac;
}

void ContainerLog::setLimits(int maxLines, qint64 maxBytes) {
    m_maxLines = qMax(1, maxLines);
    m_maxBytes = qMax<qint64>(1024, maxBytes);
}

void ContainerLog::append(const QByteArray &text) {
    appendAt(nowNs(), text);
}

void ContainerLog::appendAt(qint64 ns, const QByteArray &text) {
    if (m_finished || m_generated)
        return;
    ns = qMax(ns, m_lastNs + 1);
    m_lastNs = ns;
    m_lines.push_back({ns, text});
    m_bytes += text.size() + 40;
    while (!m_lines.empty() && (int(m_lines.size()) > m_maxLines || m_bytes > m_maxBytes)) {
        m_bytes -= m_lines.front().text.size() + 40;
        m_lines.pop_front();
        ++m_base;
    }
    Q_EMIT grew();
}

void ContainerLog::generate(const QByteArray &prefix, qint64 total, int ratePerSecond) {
    m_generated = true;
    m_prefix = prefix;
    m_total = total;
    m_startNs = qMax(nowNs(), m_lastNs + 1);
    m_periodNs = ratePerSecond > 0 ? qMax<qint64>(1, 1000000000LL / ratePerSecond) : 100;
    m_tick.start();
    Q_EMIT grew();
}

void ContainerLog::finish() {
    if (m_finished)
        return;
    if (m_generated)
        m_frozenEnd = generatedEnd();
    m_finished = true;
    m_tick.stop();
    Q_EMIT grew();
}

qint64 ContainerLog::generatedEnd() const {
    if (m_frozenEnd >= 0)
        return m_frozenEnd;
    qint64 end = (nowNs() - m_startNs) / m_periodNs + 1;
    if (m_total > 0)
        end = qMin(end, m_total);
    return qMax<qint64>(0, end);
}

qint64 ContainerLog::firstIndex() const {
    return m_generated ? 0 : m_base;
}

qint64 ContainerLog::endIndex() const {
    return m_generated ? generatedEnd() : m_base + qint64(m_lines.size());
}

qint64 ContainerLog::timestampAt(qint64 index) const {
    if (m_generated)
        return m_startNs + index * m_periodNs;
    return m_lines[size_t(index - m_base)].ns;
}

qint64 ContainerLog::indexAtOrAfter(qint64 ns) const {
    if (m_generated) {
        if (ns <= m_startNs)
            return 0;
        return qMin(endIndex(), (ns - m_startNs + m_periodNs - 1) / m_periodNs);
    }
    qint64 lo = m_base, hi = endIndex();
    while (lo < hi) {
        const qint64 mid = (lo + hi) / 2;
        if (timestampAt(mid) < ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void ContainerLog::generatedLine(qint64 index, QByteArray *out) const {
    static const QByteArray filler =
        " crane: copying layer chunk, bytes=1048576 status=ok lorem ipsum dolor sit amet";
    out->append(m_prefix);
    out->append(" seq=");
    out->append(QByteArray::number(index));
    out->append(filler);
}

qint64 ContainerLog::read(qint64 from, qint64 to, bool timestamps, qint64 maxBytes,
                          QByteArray *out) const {
    from = qMax(from, firstIndex());
    to = qMin(to, endIndex());
    const qint64 startSize = out->size();
    qint64 i = from;
    for (; i < to && out->size() - startSize < maxBytes; ++i) {
        if (timestamps) {
            out->append(formatTimestamp(timestampAt(i)));
            out->append(' ');
        }
        if (m_generated)
            generatedLine(i, out);
        else
            out->append(m_lines[size_t(i - m_base)].text);
        out->append('\n');
    }
    return i;
}

} // namespace pw::kubesim
