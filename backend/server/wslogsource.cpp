#include "wslogsource.h"

#include "wsconnection.h"
#include "wsjson.h"
#include "wslogstreams.h"
#include "wsstats.h"

WsLogSource::WsLogSource(WsConnection *connection, WsLogStreams *streams, const QString &ns,
                         const QString &pod, const QString &container, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_streams(streams)
    , m_ns(ns)
    , m_pod(pod)
    , m_container(container)
{
    // Names are DNS-1123 (no character that needs escaping), checked once more all the same.
    QByteArray suffix(",\"pod\":\"");
    WsJson::appendEscaped(suffix, pod.toUtf8());
    suffix.append("\",\"container\":\"");
    WsJson::appendEscaped(suffix, container.toUtf8());
    suffix.append("\"}");
    m_suffix = QString::fromUtf8(suffix);
}

WsLogSource::~WsLogSource()
{
    m_streams->turns()->cancel(this);
    if (m_stream)
        m_streams->leave(this, m_stream);
}

void WsLogSource::start(const WsLogStreamOptions &options, bool timestamps,
                        const QString &resumeStream, qint64 resumeSeq)
{
    m_timestamps = timestamps;
    m_stream = m_streams->join(this, m_ns, m_pod, m_container, options);
    m_next = m_stream->startFor(options.tailLines, options.sinceTime);
    if (resumeSeq < 0)
        return;
    // As for one container (docs/api.md): another stream's numbers mean nothing in this one.
    if (resumeStream != m_stream->id() || resumeSeq > m_stream->flushedSeq()) {
        m_next = m_stream->firstSeq();
        sendRestarted(resumeStream, resumeSeq);
    } else {
        m_next = resumeSeq; // below the ring: its turn reports the gap
    }
}

void WsLogSource::sendRestarted(const QString &resumeStream, qint64 resumeSeq)
{
    if (m_connection->isV1()) {
        ++m_connection->stats()->v1RestartsWithheld;
        return;
    }
    m_connection->send(WsJson::text(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("gap")},
        {QStringLiteral("missed"), 0},
        {QStringLiteral("restarted"), true},
        {QStringLiteral("seq"), m_next},
        {QStringLiteral("pod"), m_pod},
        {QStringLiteral("container"), m_container},
        {QStringLiteral("detail"),
         QStringLiteral("%1:%2 is not in this stream (stream %3 is gone; this is stream %4); "
                        "sending it from line %5")
             .arg(resumeStream)
             .arg(resumeSeq)
             .arg(resumeStream, m_stream->id())
             .arg(m_next)},
    }));
}

QString WsLogSource::streamId() const
{
    return m_stream ? m_stream->id() : QString();
}

void WsLogSource::catchUp()
{
    if (m_stream && m_next < m_stream->flushedSeq())
        m_streams->turns()->request(this);
    else
        checkDone();
}

bool WsLogSource::writeTurn(qint64 budgetBytes)
{
    if (!m_stream || !m_connection->isOpen())
        return false;
    const qint64 to = m_stream->flushedSeq();
    const qint64 first = m_stream->firstSeq();
    if (m_next < first) {
        const qint64 missed = first - m_next;
        m_next = first;
        WsStats *stats = m_connection->stats();
        if (m_connection->isV1()) {
            ++stats->v1GapsWithheld;
            stats->v1GapLines += quint64(missed);
        } else {
            QJsonObject gap{{QStringLiteral("type"), QStringLiteral("gap")},
                            {QStringLiteral("missed"), missed},
                            {QStringLiteral("pod"), m_pod},
                            {QStringLiteral("container"), m_container}};
            if (!m_connection->send(WsJson::text(gap)))
                return false;
            ++stats->gapsSent;
        }
    }
    qint64 written = 0;
    while (m_next < to && written < budgetBytes) {
        if (m_connection->isBehind()) {
            m_connection->sendSkippable(QString()); // a refusal makes the connection drain
            return false;
        }
        int lines = 0;
        const QString frame = m_stream->buildFrame(m_next, to, m_timestamps, &lines);
        if (lines == 0 || !send(frame))
            return false;
        m_next += lines;
        written += frame.size();
    }
    if (m_next < to)
        return true; // the rest in the next pass, after every other viewer's turn
    checkDone();
    return false;
}

bool WsLogSource::send(const QString &frame)
{
    // The shared frame ends with '}': this source's names go in before it.
    QString named;
    named.reserve(frame.size() + m_suffix.size());
    named.append(QStringView(frame).chopped(1));
    named.append(m_suffix);
    return m_connection->sendSkippable(named);
}

void WsLogSource::logFrame(qint64 seq, int lines, const QString &frame)
{
    if (m_next < seq) {
        // Behind the live frames: the rest goes out in this source's turns (WsWriteTurns).
        m_streams->turns()->request(this);
        return;
    }
    if (m_next == seq && send(frame))
        m_next = seq + lines;
}

void WsLogSource::logState(const QString &state, const QString &detail)
{
    Q_EMIT stateChanged(this, state, detail);
}

void WsLogSource::logEnded(const QString &detail, bool podGone)
{
    Q_UNUSED(podGone)
    m_ended = true;
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
