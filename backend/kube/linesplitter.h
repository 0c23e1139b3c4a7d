#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace pw::kube {

// Cuts a byte stream into '\n'-terminated lines as it arrives. A line longer than the cap
// is delivered once, cut to the cap at a UTF-8 character boundary and flagged `truncated`;
// the rest of it is skipped up to its newline, so memory stays below cap + one read.
class LineSplitter {
public:
    struct Line {
        QByteArray data; // without the '\n' (and without a '\r' before it)
        bool truncated = false;
    };

    explicit LineSplitter(qsizetype maxLineBytes)
        : m_max(maxLineBytes) {}
    void feed(QByteArrayView data, QList<Line> *out);
    // The same cut, each line handed to `take(QByteArrayView line, bool truncated)` as it is
    // found: a line inside `data` is not copied (the view is valid during the call only).
    template <typename Take>
    void each(QByteArrayView data, Take &&take);
    // Bytes of an unfinished line held back.
    qsizetype pendingBytes() const { return m_partial.size(); }
    bool hasPartial() const { return !m_partial.isEmpty() || m_skipping; }
    void reset();

    // The longest prefix of `data` of at most `max` bytes that does not end inside a UTF-8
    // sequence.
    static qsizetype utf8Boundary(QByteArrayView data, qsizetype max);

private:
    static QByteArrayView withoutCr(QByteArrayView line) {
        return line.endsWith('\r') ? line.chopped(1) : line;
    }

    qsizetype m_max;
    QByteArray m_partial;
    bool m_skipping = false; // inside the rest of a truncated line
};

template <typename Take>
void LineSplitter::each(QByteArrayView data, Take &&take) {
    while (!data.isEmpty()) {
        const qsizetype nl = data.indexOf('\n');
        const QByteArrayView head = nl < 0 ? data : data.first(nl);
        data = nl < 0 ? QByteArrayView() : data.sliced(nl + 1);
        if (m_skipping) {
            m_skipping = nl < 0;
            continue;
        }
        if (nl >= 0 && m_partial.isEmpty() && head.size() <= m_max) {
            take(withoutCr(head), false); // the common case: no copy at all
            continue;
        }
        m_partial.append(head);
        if (m_partial.size() > m_max) {
            m_partial.truncate(utf8Boundary(m_partial, m_max));
            const QByteArray cut = std::exchange(m_partial, {});
            take(QByteArrayView(cut), true);
            m_skipping = nl < 0;
            continue;
        }
        if (nl >= 0) {
            const QByteArray whole = std::exchange(m_partial, {});
            take(withoutCr(whole), false);
        }
    }
}

} // namespace pw::kube
