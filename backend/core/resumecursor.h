#pragma once

#include "logframe.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace pw::core {

// Where a /ws/pod-logs reader is in one source's stream (docs/api.md "Resuming"), and the one
// definition of how that goes back to the server. Line numbers (seq) belong to one server
// stream, named by the id in its "stream" messages: a new id means numbers from that stream's
// start. When the server's stream restarted its numbering (a gap with "restarted"), numbers
// start over from the gap's seq, and lines the new stream replays from before the last one
// handed out are dropped by their timestamp (with timestamps on), the rule the server itself
// follows upstream (docs/architecture.md §2).
class ResumeCursor
{
public:
    explicit ResumeCursor(bool timestamps = false) : m_timestamps(timestamps) {}

    qint64 nextSeq() const { return m_nextSeq; }
    // The id of the server stream nextSeq() counts in; empty before the first, or from a
    // server that sends none.
    QString streamId() const { return m_streamId; }

    // A "stream" message named `id`: true when it is another stream than the one followed
    // (its numbers are its own, from its start; the next frame says where that is).
    bool onStreamId(const QString &id);
    // A gap with "restarted": follow the new numbers from `nextSeq` (-1: from the next frame).
    void onRestarted(qint64 nextSeq);
    // Takes a log frame: drops the lines already handed out (by seq, and after a restart by
    // timestamp) and returns the seq of the first line left in frame->lines.
    qint64 take(LogFrame *frame);

    // resume= and stream= for reopening one source's stream (none before the first line).
    QList<QPair<QString, QString>> queryItems() const;

    // Merged mode: resume=POD/CONTAINER:STREAM:SEQ,… names each source.
    struct Source
    {
        QString pod;
        QString container;
        QString stream;
        qint64 seq = 0;
    };
    static QString formatSources(const QList<Source> &sources);
    // One POD/CONTAINER:STREAM:SEQ entry; false when it is not one. Names and the stream id
    // are only cut out here: their rules are the reader's (DNS-1123, isStreamId).
    static bool parseSource(QStringView entry, Source *out);

    // A line's RFC 3339 UTC timestamp ("2026-11-27T10:00:00.123Z …", as the server sends with
    // timestamps=true) as a key that compares in time order: the fraction padded to nine
    // digits, since RFC3339Nano drops trailing zeros. Empty when the line has none.
    static QString timestampKey(const QString &line);

private:
    void dropReplayedByTime(QStringList &lines, qint64 *first);
    void rememberLastTimestamp(const QStringList &lines);

    bool m_timestamps;
    qint64 m_nextSeq = -1; // -1 before the first line
    QString m_streamId;
    // The timestamp of the last line handed out (timestampKey) and the texts of the lines at
    // that timestamp: after a restart, replayed lines are recognised by them.
    QString m_lastTimestamp;
    QStringList m_lastTimestampLines;
    bool m_dedupeByTime = false; // after a restart, until a line newer than m_lastTimestamp
};

} // namespace pw::core
