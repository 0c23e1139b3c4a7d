#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

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
    // Bytes of an unfinished line held back.
    qsizetype pendingBytes() const { return m_partial.size(); }
    bool hasPartial() const { return !m_partial.isEmpty() || m_skipping; }
    void reset();

    // The longest prefix of `data` of at most `max` bytes that does not end inside a UTF-8
    // sequence.
    static qsizetype utf8Boundary(QByteArrayView data, qsizetype max);

private:
    void take(QByteArrayView line, QList<Line> *out);

    qsizetype m_max;
    QByteArray m_partial;
    bool m_skipping = false; // inside the rest of a truncated line
};
