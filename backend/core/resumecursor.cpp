#include "resumecursor.h"

namespace pw::core {

namespace {

constexpr qsizetype kMaxSameTimestampLines = 1000; // bounded, like everything else

// The line without its timestamp.
QStringView textOf(const QString &line)
{
    return QStringView(line).mid(line.indexOf(u' ') + 1);
}

} // namespace

QString ResumeCursor::timestampKey(const QString &line)
{
    const qsizetype space = line.indexOf(u' ');
    if (space < 20 || space > 40 || line.at(space - 1) != u'Z' || line.at(10) != u'T'
        || line.at(4) != u'-' || !line.at(0).isDigit())
        return QString();
    QString key = line.left(19);
    key.reserve(29);
    key += u'.';
    qsizetype digits = 0;
    if (line.at(19) == u'.') {
        for (qsizetype i = 20; i < space - 1 && digits < 9; ++i, ++digits) {
            if (!line.at(i).isDigit())
                return QString();
            key += line.at(i);
        }
    } else if (space != 20) {
        return QString();
    }
    for (; digits < 9; ++digits)
        key += u'0';
    return key;
}

bool ResumeCursor::onStreamId(const QString &id)
{
    if (id == m_streamId)
        return false;
    m_nextSeq = -1;
    m_streamId = id;
    return true;
}

void ResumeCursor::onRestarted(qint64 nextSeq)
{
    m_nextSeq = nextSeq;
    m_dedupeByTime = !m_lastTimestamp.isEmpty();
}

qint64 ResumeCursor::take(LogFrame *frame)
{
    QStringList &lines = frame->lines;
    const qint64 seq = frame->seq;
    const qint64 count = frame->count >= 0 ? frame->count : lines.size();
    // Lines the reader already has (a resume that overlapped) are skipped.
    qint64 first = seq;
    if (seq >= 0 && m_nextSeq > seq) {
        const qint64 skip = qMin<qint64>(lines.size(), m_nextSeq - seq);
        lines.erase(lines.begin(), lines.begin() + skip);
        first = seq + skip;
    }
    if (seq >= 0)
        m_nextSeq = qMax(m_nextSeq, seq + qMax<qint64>(count, lines.size() + (first - seq)));
    if (m_dedupeByTime)
        dropReplayedByTime(lines, &first);
    if (!lines.isEmpty())
        rememberLastTimestamp(lines);
    return first;
}

void ResumeCursor::dropReplayedByTime(QStringList &lines, qint64 *first)
{
    // The leading lines at or before the last timestamp handed out are replays. The first
    // other line ends the check; only a prefix goes, so the lines that stay keep their numbers.
    qsizetype replayed = 0;
    for (; replayed < lines.size(); ++replayed) {
        const QString &line = lines.at(replayed);
        const QString key = timestampKey(line);
        const bool replay = !key.isEmpty()
            && (key < m_lastTimestamp
                || (key == m_lastTimestamp && m_lastTimestampLines.contains(textOf(line))));
        if (!replay) {
            m_dedupeByTime = false;
            break;
        }
    }
    lines.erase(lines.begin(), lines.begin() + replayed);
    *first += replayed;
}

void ResumeCursor::rememberLastTimestamp(const QStringList &lines)
{
    if (!m_timestamps)
        return;
    const QString key = timestampKey(lines.last());
    if (key.isEmpty())
        return;
    if (key != m_lastTimestamp) {
        m_lastTimestamp = key;
        m_lastTimestampLines.clear();
    }
    // The lines of this frame at that timestamp, newest first (usually just the last one).
    for (qsizetype i = lines.size() - 1; i >= 0 && timestampKey(lines.at(i)) == key; --i) {
        if (m_lastTimestampLines.size() >= kMaxSameTimestampLines)
            break;
        m_lastTimestampLines.append(textOf(lines.at(i)).toString());
    }
}

QList<QPair<QString, QString>> ResumeCursor::queryItems() const
{
    QList<QPair<QString, QString>> items;
    if (m_nextSeq < 0)
        return items;
    items.append({QStringLiteral("resume"), QString::number(m_nextSeq)});
    // Which stream that number is of: if it has ended, the server says "restarted" rather
    // than taking the number as a line of a newer stream.
    if (!m_streamId.isEmpty())
        items.append({QStringLiteral("stream"), m_streamId});
    return items;
}

QString ResumeCursor::formatSources(const QList<Source> &sources)
{
    QStringList entries;
    for (const Source &s : sources)
        entries.append(QStringLiteral("%1/%2:%3:%4").arg(s.pod, s.container, s.stream).arg(s.seq));
    return entries.join(u',');
}

bool ResumeCursor::parseSource(QStringView entry, Source *out)
{
    const QList<QStringView> parts = entry.split(u':');
    if (parts.size() != 3)
        return false;
    const qsizetype slash = parts[0].indexOf(u'/');
    if (slash < 0)
        return false;
    // A whole number from 0: digits only (no sign, no space), within qint64.
    const QStringView seq = parts[2];
    bool ok = false;
    const qint64 value = seq.toLongLong(&ok);
    if (!ok || value < 0 || !seq.front().isDigit() || !seq.back().isDigit())
        return false;
    out->pod = parts[0].left(slash).toString();
    out->container = parts[0].mid(slash + 1).toString();
    out->stream = parts[1].toString();
    out->seq = value;
    return true;
}

} // namespace pw::core
