#include "wslogsource.h"

#include "serverlog.h"
#include "wsconnection.h"
#include "wsstats.h"

#include "core/logframe.h"
#include "logs/logfanouts.h"

namespace pw::server {

WsLogSource::WsLogSource(WsConnection *connection, logs::LogFanouts *streams, const QString &ns,
                         const QString &pod, const QString &container, Naming naming,
                         QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_streams(streams)
    , m_ns(ns)
    , m_pod(pod)
    , m_container(container)
    , m_naming(naming)
{
    if (naming == Naming::PodAndContainer)
        m_suffix = core::LogFrameWriter::sourceSuffix(pod, container);
}

WsLogSource::~WsLogSource()
{
    stop();
}

void WsLogSource::stop()
{
    if (m_stream)
        m_streams->leave(this, m_stream);
    m_stream = nullptr;
}

void WsLogSource::start(const logs::LogFanoutOptions &options, bool timestamps,
                        const QString &resumeStream, qint64 resumeSeq)
{
    m_timestamps = timestamps;
    m_stream = m_streams->join(this, m_ns, m_pod, m_container, options);
    m_next = m_stream->startFor(options.tailLines, options.sinceTime);
    if (resumeSeq < 0)
        return;
    // resume= is a seq of the stream named by stream= (single-container clients that do not
    // send it: of whichever stream is live). Another stream's numbers (an earlier stream of
    // this container: its last viewer left or the log ended, and this is a new upstream
    // numbered from 0) mean nothing here, even when this one has got past them (docs/api.md).
    const bool otherStream = !resumeStream.isEmpty() && resumeStream != m_stream->id();
    if (otherStream || resumeSeq > m_stream->flushedSeq()) {
        m_next = m_stream->firstSeq();
        sendRestarted(resumeStream, resumeSeq);
    } else {
        m_next = resumeSeq; // below the ring: catchUp reports the gap
    }
}

void WsLogSource::sendRestarted(const QString &resumeStream, qint64 resumeSeq)
{
    if (m_connection->isV1()) {
        // The original's viewers have no message for it (docs/api.md): logged and counted.
        ++m_connection->stats()->v1RestartsWithheld;
        qCInfo(lcServer).noquote() << "v1 log viewer of" << m_ns << m_pod << "resumed at"
                                   << resumeSeq << "into a restarted stream; sending it from line"
                                   << m_next;
        return;
    }
    m_connection->send(core::LogFrameWriter::restarted(m_next, restartDetail(resumeStream,
                                                                             resumeSeq),
                                                 namedPod(), namedContainer()));
}

QString WsLogSource::restartDetail(const QString &resumeStream, qint64 resumeSeq) const
{
    if (m_naming == Naming::PodAndContainer)
        return QStringLiteral("%1:%2 is not in this stream (stream %3 is gone; this is stream %4); "
                              "sending it from line %5")
            .arg(resumeStream)
            .arg(resumeSeq)
            .arg(resumeStream, m_stream->id())
            .arg(m_next);
    return QStringLiteral("resume=%1 is not in this stream (it restarted at 0%2); sending it from "
                          "line %3")
        .arg(resumeSeq)
        .arg(resumeStream.isEmpty() ? QString()
                                    : QStringLiteral(" as stream %1; stream %2 is gone")
                                          .arg(m_stream->id(), resumeStream))
        .arg(m_next);
}

QString WsLogSource::namedPod() const
{
    return m_naming == Naming::PodAndContainer ? m_pod : QString();
}

QString WsLogSource::namedContainer() const
{
    return m_naming == Naming::PodAndContainer ? m_container : QString();
}

QString WsLogSource::streamId() const
{
    return m_stream ? m_stream->id() : QString();
}

QString WsLogSource::streamState() const
{
    return m_stream ? m_stream->state() : QString();
}

QString WsLogSource::streamDetail() const
{
    return m_stream ? m_stream->detail() : QString();
}

void WsLogSource::catchUp()
{
    if (m_stream)
        catchUpTo(m_stream->flushedSeq());
    checkDone();
}

void WsLogSource::catchUpTo(qint64 to)
{
    if (!m_stream || !m_connection->isOpen())
        return;
    const qint64 first = m_stream->firstSeq();
    if (m_next < first) {
        const qint64 missed = first - m_next;
        m_next = first;
        WsStats *stats = m_connection->stats();
        if (m_connection->isV1()) {
            // The original's viewers would print a gap message as a log line: logged and counted.
            ++stats->v1GapsWithheld;
            stats->v1GapLines += quint64(missed);
            qCInfo(lcServer).noquote() << "v1 log viewer of" << m_ns << m_pod << "missed"
                                       << missed << "lines";
        } else {
            if (!m_connection->send(core::LogFrameWriter::gap(missed, namedPod(),
                                                              namedContainer())))
                return;
            ++stats->gapsSent;
        }
    }
    while (m_next < to && m_connection->isOpen()) {
        // Asked even when behind: a refusal is what makes the connection report drained().
        if (m_connection->isBehind()) {
            m_connection->sendSkippable(QString());
            break;
        }
        int lines = 0;
        const QString frame = m_stream->buildFrame(m_next, to, m_timestamps, &lines);
        if (lines == 0 || !send(frame))
            break;
        m_next += lines;
    }
}

bool WsLogSource::send(const QString &frame)
{
    return m_connection->sendSkippable(
        m_suffix.isEmpty() ? frame : core::LogFrameWriter::withSource(frame, m_suffix));
}

void WsLogSource::logFrame(qint64 seq, int lines, const QString &frame)
{
    if (m_next < seq)
        catchUpTo(seq);
    if (m_next != seq)
        return; // still behind: the lines stay in the ring for later
    if (send(frame))
        m_next = seq + lines;
}

void WsLogSource::logState(const QString &state, const QString &detail)
{
    Q_EMIT stateChanged(this, state, detail);
}

void WsLogSource::logEnded(const QString &detail, bool podGone)
{
    m_ended = true;
    m_podGone = podGone;
    m_endDetail = detail;
    QMetaObject::invokeMethod(this, &WsLogSource::catchUp, Qt::QueuedConnection);
}

void WsLogSource::checkDone()
{
    if (m_ended && !m_doneSent && m_stream && m_next >= m_stream->flushedSeq()) {
        m_doneSent = true;
        Q_EMIT done(this);
    }
}

} // namespace pw::server
