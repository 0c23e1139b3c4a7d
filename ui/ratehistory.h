#pragma once

#include <QList>
#include <QPointF>
#include <QtGlobal>

namespace pw::ui {

// Counts in fixed time buckets over a bounded span (e.g. per minute over the last hour):
// the data behind the dashboard's charts. Old buckets fall off; memory is bounded.
class RateHistory {
public:
    RateHistory(qint64 bucketMs, qint64 spanMs)
        : m_bucketMs(bucketMs)
        , m_spanMs(spanMs) {}

    void add(qint64 timeMs, double amount);
    // Feeds a monotonic counter: adds the increase since the previous value (a reset or the
    // first value adds nothing).
    void addCounter(qint64 timeMs, double counter);
    // One point per bucket from now - span to now (x = bucket start in ms, y = count), zeros
    // included, so the chart's line has no holes.
    QList<QPointF> points(qint64 nowMs) const;
    double total(qint64 nowMs) const;
    qint64 bucketMs() const { return m_bucketMs; }
    qint64 spanMs() const { return m_spanMs; }

private:
    void prune(qint64 nowMs);
    qint64 m_bucketMs;
    qint64 m_spanMs;
    QList<QPair<qint64, double>> m_buckets; // (bucket start, amount), ascending
    double m_lastCounter = -1;
};

} // namespace pw::ui
