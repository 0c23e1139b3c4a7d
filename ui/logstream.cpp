#include "logstream.h"

#include "apiclient.h"
#include "logframeparser.h"
#include "uilog.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QUrlQuery>

namespace {
constexpr qint64 kSliceMs = 8;
constexpr qint64 kMaxPendingChars = 16 * 1024 * 1024;
constexpr qsizetype kMaxSameTimestampLines = 1000; // bounded, like everything else

// A line's RFC 3339 UTC timestamp ("2026-11-27T10:00:00.123Z …", as the server sends with
// timestamps=true) as a key that compares in time order: the fraction padded to nine digits,
// since RFC3339Nano drops trailing zeros. Empty when the line has none.
QString timestampKey(const QString &line) {
    const qsizetype space = line.indexOf(u' ');
    if (space < 20 || space > 40 || line.at(space - 1) != u'Z' || line.at(10) != u'T' ||
        line.at(4) != u'-' || !line.at(0).isDigit())
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

// The line without its timestamp.
QStringView textOf(const QString &line) {
    return QStringView(line).mid(line.indexOf(u' ') + 1);
}
} // namespace

QString LogTarget::subject() const {
    return !pod.isEmpty()   ? pod
           : !job.isEmpty() ? QStringLiteral("job/%1").arg(job)
                            : QStringLiteral("-l %1").arg(selector);
}

QString LogTarget::describe() const {
    const QString what = subject();
    QString text =
        container.isEmpty()
            ? QStringLiteral("%1/%2").arg(namespaceName, what)
            : QStringLiteral("%1/%2 [%3]")
                  .arg(namespaceName, what,
                       container == QStringLiteral("*") ? QStringLiteral("all") : container);
    if (previous)
        text += QStringLiteral(" (previous)");
    return text;
}

QString LogTarget::key() const {
    return QStringList{namespaceName, pod,       job,
                       selector,      container, previous ? QStringLiteral("previous") : QString()}
        .join(u'\n');
}

LogStream::LogStream(ApiClient *client, const LogTarget &target, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_target(target) {
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &LogStream::open);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_backoff.reset();
        if (m_everConnected)
            Q_EMIT reconnected();
        m_everConnected = true;
    });
    // QWebSocket hands over every frame of one socket read in a row (a 4 MB read is ~60 log
    // frames): they are queued here and handled a few milliseconds per event-loop pass.
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &LogStream::enqueue);
    m_process.setSingleShot(true);
    m_process.setInterval(0);
    connect(&m_process, &QTimer::timeout, this, [this] { processPending(kSliceMs); });
    connect(&m_socket, &QWebSocket::disconnected, this, &LogStream::onClosed);
}

LogStream::~LogStream() {
    m_socket.disconnect(this);
    m_socket.abort();
}

void LogStream::start() {
    if (m_running)
        return;
    m_running = true;
    m_fatal = false;
    m_ended = false;
    open();
}

void LogStream::stop() {
    m_running = false;
    m_retry.stop();
    m_process.stop();
    m_pending.clear();
    m_pendingChars = 0;
    m_socket.close();
}

void LogStream::open() {
    if (!m_running || m_socket.state() != QAbstractSocket::UnconnectedState)
        return;
    QUrlQuery q;
    addParameters(q);
    if (m_target.isMerged()) {
        // Per source: POD/CONTAINER:STREAM:SEQ (docs/api.md "Merged mode").
        QStringList resume;
        for (auto it = m_sources.cbegin(); it != m_sources.cend() && resume.size() < 2000; ++it)
            if (it->nextSeq >= 0 && !it->streamId.isEmpty())
                resume.append(
                    QStringLiteral("%1:%2:%3").arg(it.key(), it->streamId).arg(it->nextSeq));
        if (!resume.isEmpty())
            q.addQueryItem(QStringLiteral("resume"), resume.join(u','));
    } else if (m_nextSeq >= 0) {
        q.addQueryItem(QStringLiteral("resume"), QString::number(m_nextSeq));
        // Which stream that number is of: if it has ended, the server says "restarted"
        // rather than taking the number as a line of a newer stream.
        if (!m_streamId.isEmpty())
            q.addQueryItem(QStringLiteral("stream"), m_streamId);
    }
    m_lastQuery = q;
    m_client->openWebSocket(m_socket, QStringLiteral("/ws/pod-logs"), q);
}

void LogStream::addParameters(QUrlQuery &q) const {
    q.addQueryItem(QStringLiteral("namespace"), m_target.namespaceName);
    if (!m_target.pod.isEmpty())
        q.addQueryItem(QStringLiteral("pod"), m_target.pod);
    else if (!m_target.job.isEmpty())
        q.addQueryItem(QStringLiteral("job"), m_target.job);
    else
        q.addQueryItem(QStringLiteral("selector"), m_target.selector);
    if (!m_target.container.isEmpty())
        q.addQueryItem(QStringLiteral("container"), m_target.container);
    q.addQueryItem(QStringLiteral("tailLines"), QString::number(m_target.tailLines));
    q.addQueryItem(QStringLiteral("timestamps"),
                   m_target.timestamps ? QStringLiteral("true") : QStringLiteral("false"));
    if (m_target.sinceTime.isValid())
        q.addQueryItem(QStringLiteral("sinceTime"),
                       m_target.sinceTime.toUTC().toString(Qt::ISODate));
    else if (m_target.sinceSeconds > 0)
        q.addQueryItem(QStringLiteral("sinceSeconds"), QString::number(m_target.sinceSeconds));
    if (m_target.previous)
        q.addQueryItem(QStringLiteral("previous"), QStringLiteral("true"));
}

void LogStream::enqueue(const QString &message) {
    m_pending.append(message);
    m_pendingChars += message.size();
    if (m_pendingChars > kMaxPendingChars) {
        // Too far behind: drop what is queued and reopen from the last line handled; the
        // server replays from its buffer or says how many lines are gone (gap).
        qCWarning(lcUi).noquote() << "log stream" << m_target.describe() << "fell behind;"
                                  << m_pending.size() << "frames dropped, resuming";
        m_pending.clear();
        m_pendingChars = 0;
        m_socket.abort(); // onClosed() reconnects with resume=
        return;
    }
    if (!m_process.isActive())
        m_process.start();
}

void LogStream::processPending(qint64 budgetMs) {
    QElapsedTimer clock;
    clock.start();
    while (!m_pending.isEmpty() && (budgetMs < 0 || clock.elapsed() < budgetMs)) {
        const QString message = m_pending.takeFirst();
        m_pendingChars -= message.size();
        onMessage(message);
    }
    if (!m_pending.isEmpty())
        m_process.start();
}

void LogStream::onMessage(const QString &message) {
    // Log frames are read directly (LogFrameParser); other messages come back as a JSON
    // object from QJsonDocument.
    LogFrameParser::Message m = LogFrameParser::parse(message);
    if (m.kind == LogFrameParser::Kind::Log) {
        if (m_target.isMerged())
            onMergedFrame(std::move(m.frame));
        else
            onLogFrame(std::move(m.frame));
        return;
    }
    const QJsonObject &o = m.object;
    const QString type = o.value(QStringLiteral("type")).toString();
    if (m_target.isMerged() && onSourceMessage(type, o))
        return;
    if (type == QStringLiteral("stream")) {
        const QString state = o.value(QStringLiteral("state")).toString();
        if (state == QStringLiteral("ended"))
            m_ended = true; // the server closes next; nothing to resume
        if (o.contains(QStringLiteral("stream")))
            onStreamId(o.value(QStringLiteral("stream")).toString());
        Q_EMIT streamStateChanged(state, o.value(QStringLiteral("detail")).toString());
    } else if (type == QStringLiteral("gap")) {
        // "restarted": the server's stream numbers from 0 again (docs/api.md). Servers before
        // that field said so only in the detail ("resume=N is not in this stream").
        const bool restarted = o.value(QStringLiteral("restarted")).toBool() ||
                               o.value(QStringLiteral("detail"))
                                   .toString()
                                   .contains(QStringLiteral("is not in this stream"));
        if (restarted)
            onRestarted(o.contains(QStringLiteral("seq"))
                            ? qint64(o.value(QStringLiteral("seq")).toDouble())
                            : -1);
        Q_EMIT gap(qint64(o.value(QStringLiteral("missed")).toDouble()), restarted);
    } else if (type == QStringLiteral("error")) {
        m_fatal = true;
        const QString error = o.value(QStringLiteral("error")).toString();
        qCWarning(lcUi).noquote() << "log stream" << m_target.describe() << "refused:" << error;
        Q_EMIT failed(error);
    }
}

void LogStream::onLogFrame(LogFrame &&frame) {
    QStringList &lines = frame.lines;
    const qint64 seq = frame.seq;
    const qint64 count = frame.count >= 0 ? frame.count : lines.size();
    // Lines the client already has (a resume that overlapped) are skipped.
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
    if (lines.isEmpty())
        return;
    rememberLastTimestamp(lines);
    Q_EMIT linesReceived(lines, first, QString());
}

void LogStream::onMergedFrame(LogFrame &&frame) {
    if (frame.lines.isEmpty())
        return;
    const QString source = frame.pod + u'/' + frame.container;
    Source &s = m_sources[source];
    qint64 first = frame.seq;
    // As for one container, per source: lines a resume replayed twice are skipped.
    if (frame.seq >= 0 && s.nextSeq > frame.seq) {
        const qint64 skip = qMin<qint64>(frame.lines.size(), s.nextSeq - frame.seq);
        frame.lines.erase(frame.lines.begin(), frame.lines.begin() + skip);
        first = frame.seq + skip;
    }
    if (frame.seq >= 0)
        s.nextSeq = qMax(s.nextSeq, first + frame.lines.size());
    if (!frame.lines.isEmpty())
        Q_EMIT linesReceived(frame.lines, first, source);
}

// Merged mode: `stream` and `gap` messages that name a pod are about that source; true when
// the message was one of them.
bool LogStream::onSourceMessage(const QString &type, const QJsonObject &o) {
    const QString pod = o.value(QStringLiteral("pod")).toString();
    if (pod.isEmpty() || (type != QStringLiteral("stream") && type != QStringLiteral("gap")))
        return false;
    const QString container = o.value(QStringLiteral("container")).toString();
    const QString source = container.isEmpty() ? pod : pod + u'/' + container;
    if (type == QStringLiteral("gap")) {
        if (o.value(QStringLiteral("restarted")).toBool() && !container.isEmpty())
            m_sources[source].nextSeq = o.contains(QStringLiteral("seq"))
                                            ? qint64(o.value(QStringLiteral("seq")).toDouble())
                                            : -1;
        const qint64 missed = qint64(o.value(QStringLiteral("missed")).toDouble());
        if (missed > 0)
            Q_EMIT sourceStateChanged(source, QStringLiteral("gap"),
                                      tr("%n line(s) missed", nullptr, int(missed)));
        return true;
    }
    const QString state = o.value(QStringLiteral("state")).toString();
    if (!container.isEmpty() && o.contains(QStringLiteral("stream"))) {
        Source &s = m_sources[source];
        const QString id = o.value(QStringLiteral("stream")).toString();
        if (id != s.streamId) {
            s.streamId = id;
            s.nextSeq = -1; // a new stream numbers from its start
        }
    }
    if (container.isEmpty() && state == QStringLiteral("ended")) {
        // The pod was deleted: its sources will not come back (and are not resumed).
        const QString prefix = pod + u'/';
        for (auto it = m_sources.begin(); it != m_sources.end();)
            it = it.key().startsWith(prefix) ? m_sources.erase(it) : std::next(it);
    }
    Q_EMIT sourceStateChanged(source, state, o.value(QStringLiteral("detail")).toString());
    return true;
}

void LogStream::onRestarted(qint64 nextSeq) {
    // The old numbers mean nothing in the new stream: follow its numbers from `nextSeq` (-1:
    // from its next frame), and recognise the lines it replays by their timestamps.
    qCInfo(lcUi).noquote() << "log stream" << m_target.describe()
                           << "restarted its numbering; was at" << m_nextSeq << "now" << nextSeq;
    m_nextSeq = nextSeq;
    m_dedupeByTime = !m_lastTimestamp.isEmpty();
}

void LogStream::onStreamId(const QString &id) {
    if (id == m_streamId)
        return;
    // Another stream (the next container or pod of a job, or a restart): its numbers are its
    // own, from its start; the next frame says where that is.
    if (!m_streamId.isEmpty())
        qCInfo(lcUi).noquote() << "log stream" << m_target.describe() << "now follows stream"
                               << id << "after" << m_streamId << "at" << m_nextSeq;
    m_nextSeq = -1;
    m_streamId = id;
}

void LogStream::dropReplayedByTime(QStringList &lines, qint64 *first) {
    // The leading lines at or before the last timestamp shown are replays (the rule of the
    // server's own sinceTime resume, docs/architecture.md §2). The first other line ends the check; only
    // a prefix goes, so the lines that stay keep their numbers.
    qsizetype replayed = 0;
    for (; replayed < lines.size(); ++replayed) {
        const QString &line = lines.at(replayed);
        const QString key = timestampKey(line);
        const bool replay =
            !key.isEmpty() &&
            (key < m_lastTimestamp ||
             (key == m_lastTimestamp && m_lastTimestampLines.contains(textOf(line))));
        if (!replay) {
            m_dedupeByTime = false;
            break;
        }
    }
    lines.erase(lines.begin(), lines.begin() + replayed);
    *first += replayed;
}

void LogStream::rememberLastTimestamp(const QStringList &lines) {
    if (!m_target.timestamps)
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

void LogStream::onClosed() {
    const auto code = m_socket.closeCode();
    if (!m_running)
        return;
    processPending(-1); // the frames before the close ("ended", "error") decide what follows
    // Refused (an error message, 1008, 1003) or ended ("stream" "ended", then 1000): no retry.
    // Anything else — a drop, 1001, 1013 "try again later" — reconnects and resumes.
    if (m_fatal || code == QWebSocketProtocol::CloseCodePolicyViolated ||
        code == QWebSocketProtocol::CloseCodeDatatypeNotSupported) {
        m_running = false;
        if (!m_fatal)
            Q_EMIT failed(m_socket.closeReason().isEmpty() ? tr("closed by the server")
                                                           : m_socket.closeReason());
        return;
    }
    if (m_ended) {
        m_running = false;
        return;
    }
    const int delay = m_backoff.nextDelayMs();
    const QString why = m_socket.errorString();
    Q_EMIT reconnecting(delay, why);
    m_retry.start(delay);
}
