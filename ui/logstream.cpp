#include "logstream.h"

#include "apiclient.h"
#include "logframeparser.h"
#include "uilog.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QUrlQuery>

namespace pw::ui {

namespace {
constexpr qint64 kSliceMs = 8;
constexpr qint64 kMaxPendingChars = 16 * 1024 * 1024;
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
    , m_target(target)
    , m_cursor(target.timestamps) {
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
        QList<core::ResumeCursor::Source> resume;
        for (auto it = m_sources.cbegin(); it != m_sources.cend() && resume.size() < 2000; ++it)
            if (it->nextSeq() >= 0 && !it->streamId().isEmpty())
                resume.append({it.key().section(u'/', 0, 0), it.key().section(u'/', 1),
                               it->streamId(), it->nextSeq()});
        if (!resume.isEmpty())
            q.addQueryItem(QStringLiteral("resume"), core::ResumeCursor::formatSources(resume));
    } else {
        for (const auto &[key, value] : m_cursor.queryItems())
            q.addQueryItem(key, value);
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

void LogStream::onLogFrame(core::LogFrame &&frame) {
    const qint64 first = m_cursor.take(&frame);
    if (frame.lines.isEmpty())
        return;
    Q_EMIT linesReceived(frame.lines, first, QString());
}

void LogStream::onMergedFrame(core::LogFrame &&frame) {
    if (frame.lines.isEmpty())
        return;
    const QString source = frame.pod + u'/' + frame.container;
    // As for one container, per source: lines a resume replayed twice are skipped.
    const qint64 first = sourceCursor(source).take(&frame);
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
            sourceCursor(source).onRestarted(
                o.contains(QStringLiteral("seq")) ? qint64(o.value(QStringLiteral("seq")).toDouble())
                                                  : -1);
        const qint64 missed = qint64(o.value(QStringLiteral("missed")).toDouble());
        if (missed > 0)
            Q_EMIT sourceStateChanged(source, QStringLiteral("gap"),
                                      tr("%n line(s) missed", nullptr, int(missed)));
        return true;
    }
    const QString state = o.value(QStringLiteral("state")).toString();
    if (!container.isEmpty() && o.contains(QStringLiteral("stream")))
        sourceCursor(source).onStreamId(o.value(QStringLiteral("stream")).toString());
    if (container.isEmpty() && state == QStringLiteral("ended")) {
        // The pod was deleted: its sources will not come back (and are not resumed).
        const QString prefix = pod + u'/';
        for (auto it = m_sources.begin(); it != m_sources.end();)
            it = it.key().startsWith(prefix) ? m_sources.erase(it) : std::next(it);
    }
    Q_EMIT sourceStateChanged(source, state, o.value(QStringLiteral("detail")).toString());
    return true;
}

core::ResumeCursor &LogStream::sourceCursor(const QString &source) {
    auto it = m_sources.find(source);
    if (it == m_sources.end())
        it = m_sources.insert(source, core::ResumeCursor(m_target.timestamps));
    return *it;
}

void LogStream::onRestarted(qint64 nextSeq) {
    // The old numbers mean nothing in the new stream: follow its numbers from `nextSeq` (-1:
    // from its next frame), and recognise the lines it replays by their timestamps.
    qCInfo(lcUi).noquote() << "log stream" << m_target.describe()
                           << "restarted its numbering; was at" << m_cursor.nextSeq() << "now"
                           << nextSeq;
    m_cursor.onRestarted(nextSeq);
}

void LogStream::onStreamId(const QString &id) {
    // Another stream (the next container or pod of a job, or a restart): its numbers are its
    // own, from its start; the next frame says where that is.
    const QString was = m_cursor.streamId();
    const qint64 at = m_cursor.nextSeq();
    if (m_cursor.onStreamId(id) && !was.isEmpty())
        qCInfo(lcUi).noquote() << "log stream" << m_target.describe() << "now follows stream"
                               << id << "after" << was << "at" << at;
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

} // namespace pw::ui
