#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <deque>

namespace pw::kubesim {

// The log of one container instance: lines with nanosecond timestamps, indexed from 0.
// Appended lines live in a bounded ring (oldest dropped beyond the line or byte limit).
// A generated log ("chatty") is not stored at all: line i is computed from its counter, so
// any number of readers at any speed cost no memory.
class ContainerLog : public QObject {
    Q_OBJECT
public:
    explicit ContainerLog(QObject *parent = nullptr);

    static qint64 nowNs();
    // "2026-11-27T10:00:00.123456789Z"
    static QByteArray formatTimestamp(qint64 ns);

    void setLimits(int maxLines, qint64 maxBytes);
    // Appends one line (without newline) stamped now (strictly after the previous line).
    void append(const QByteArray &text);
    void appendAt(qint64 ns, const QByteArray &text);
    // Turns this log into a generated one: `total` lines (0 = endless), `ratePerSecond`
    // lines a second (0 = as fast as readers take them, about ten million a second),
    // starting now. Line i reads "<prefix> seq=<i> <filler>".
    void generate(const QByteArray &prefix, qint64 total, int ratePerSecond);
    // No more lines will come (the container terminated or the pod is gone).
    void finish();
    bool isFinished() const { return m_finished; }
    bool isGenerated() const { return m_generated; }

    qint64 firstIndex() const;
    qint64 endIndex() const; // one past the last line available now
    // The first available index whose timestamp is at or after `ns`.
    qint64 indexAtOrAfter(qint64 ns) const;
    qint64 timestampAt(qint64 index) const;
    // Appends lines [from, to) to *out (each ending in '\n'), optionally with timestamps;
    // stops early after maxBytes. Returns the index after the last line written.
    qint64 read(qint64 from, qint64 to, bool timestamps, qint64 maxBytes, QByteArray *out) const;

    // Fault injection: the highest line index at which a follow stream of this log was cut.
    // Streams cut at the next multiple of N past it, so clients that resume make progress.
    qint64 dropWatermark() const { return m_dropWatermark; }
    void setDropWatermark(qint64 index) { m_dropWatermark = qMax(m_dropWatermark, index); }

Q_SIGNALS:
    // New lines are available, or the log finished.
    void grew();

private:
    struct Line {
        qint64 ns;
        QByteArray text;
    };
    qint64 generatedEnd() const;
    void generatedLine(qint64 index, QByteArray *out) const;

    std::deque<Line> m_lines;
    qint64 m_base = 0; // index of m_lines.front()
    qint64 m_bytes = 0;
    qint64 m_lastNs = 0;
    int m_maxLines = 20000;
    qint64 m_maxBytes = 4 * 1024 * 1024;
    bool m_finished = false;
    qint64 m_dropWatermark = 0;

    bool m_generated = false;
    QByteArray m_prefix;
    qint64 m_total = 0;
    qint64 m_startNs = 0;
    qint64 m_periodNs = 100;
    qint64 m_frozenEnd = -1; // end index once a generated log finished early
    QTimer m_tick;
};

} // namespace pw::kubesim
