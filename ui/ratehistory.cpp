#include "ratehistory.h"

namespace pw::ui {

void RateHistory::add(qint64 timeMs, double amount) {
    const qint64 bucket = timeMs - timeMs % m_bucketMs;
    if (!m_buckets.isEmpty() && m_buckets.last().first == bucket)
        m_buckets.last().second += amount;
    else if (m_buckets.isEmpty() || m_buckets.last().first < bucket)
        m_buckets.append({bucket, amount});
    else
        for (auto &b : m_buckets)
            if (b.first == bucket)
                b.second += amount;
    prune(timeMs);
}

void RateHistory::addCounter(qint64 timeMs, double counter) {
    if (m_lastCounter >= 0 && counter >= m_lastCounter)
        add(timeMs, counter - m_lastCounter);
    else
        add(timeMs, 0);
    m_lastCounter = counter;
}

void RateHistory::prune(qint64 nowMs) {
    const qint64 oldest = nowMs - m_spanMs;
    while (!m_buckets.isEmpty() && m_buckets.first().first + m_bucketMs <= oldest)
        m_buckets.removeFirst();
}

QList<QPointF> RateHistory::points(qint64 nowMs) const {
    QList<QPointF> out;
    const qint64 last = nowMs - nowMs % m_bucketMs;
    const qint64 first = last - (m_spanMs / m_bucketMs - 1) * m_bucketMs;
    int i = 0;
    for (qint64 t = first; t <= last; t += m_bucketMs) {
        while (i < m_buckets.size() && m_buckets[i].first < t)
            ++i;
        const double v = i < m_buckets.size() && m_buckets[i].first == t ? m_buckets[i].second : 0;
        out.append(QPointF(double(t), v));
    }
    return out;
}

double RateHistory::total(qint64 nowMs) const {
    double sum = 0;
    for (const auto &b : m_buckets)
        if (b.first + m_bucketMs > nowMs - m_spanMs)
            sum += b.second;
    return sum;
}

} // namespace pw::ui
