#include "logfanout.h"

#include "logviewer.h"

#include "core/logframe.h"
#include "kube/kubetimestamp.h"

#include <QRandomGenerator>
#include <QTimer>

namespace pw::logs {

namespace {
constexpr qint64 kLineOverhead = 64; // ring bookkeeping per line, counted against ringBytes
constexpr int kFrameOverhead = 96;

bool containerNotStarted(const QString &detail)
{
    return detail.contains(QLatin1String("waiting to start"))
        || detail.contains(QLatin1String("ContainerCreating"))
        || detail.contains(QLatin1String("PodInitializing"));
}
} // namespace

LogFanout::LogFanout(kube::KubeClient *client, const QString &ns, const QString &pod,
                         const QString &container, const LogFanoutOptions &streamOptions,
                         const LogConfig &config, QObject *parent)
    : QObject(parent)
    , m_ns(ns)
    , m_pod(pod)
    , m_container(container)
    , m_previous(streamOptions.previous)
    , m_id(QString::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, u'0'))
    , m_config(config)
{
    kube::PodLogOptions options;
    options.namespaceName = ns;
    options.pod = pod;
    options.container = container;
    options.tailLines = streamOptions.tailLines;
    options.sinceTime = streamOptions.sinceTime;
    options.previous = streamOptions.previous;
    options.follow = !streamOptions.previous; // a terminated run's log is read to its end
    m_upstream = new kube::PodLogStream(client, options, this);
    connect(m_upstream, &kube::PodLogStream::linesReceived, this, &LogFanout::onLines);
    connect(m_upstream, &kube::PodLogStream::stateChanged, this, &LogFanout::onUpstreamState);
    m_detail = QStringLiteral("opening the log of %1/%2").arg(pod, container);
}

LogFanout::~LogFanout()
{
    m_upstream->disconnect(this);
    m_upstream->stop();
}

QString LogFanout::key(const QString &ns, const QString &pod, const QString &container,
                         bool previous)
{
    return ns + u'/' + pod + u'/' + container + (previous ? QStringLiteral("/previous") : QString());
}

qint64 LogFanout::startFor(int tailLines, const QString &sinceTime) const
{
    const qint64 first = firstSeq();
    const qint64 tailStart = tailLines > 0 ? qMax(first, m_flushedSeq - tailLines) : first;
    if (sinceTime.isEmpty())
        return tailStart;
    const kube::KubeTimestamp since = kube::KubeTimestamp::parse(sinceTime.toLatin1());
    // Lines are in timestamp order (kubelet stamps them as written).
    const auto end = m_ring.begin() + (m_flushedSeq - first);
    const auto it = std::partition_point(m_ring.begin(), end, [&](const kube::KubeLogLine &l) {
        return kube::KubeTimestamp::parse(l.timestamp()) < since;
    });
    return qMax(tailStart, first + qint64(it - m_ring.begin()));
}

void LogFanout::start()
{
    m_upstream->start();
}

void LogFanout::addViewer(LogViewer *viewer)
{
    m_viewers.append(viewer);
}

int LogFanout::removeViewer(LogViewer *viewer)
{
    m_viewers.removeAll(viewer);
    return int(m_viewers.size());
}

void LogFanout::onLines(const QList<kube::KubeLogLine> &lines)
{
    for (const kube::KubeLogLine &line : lines) {
        m_ring.push_back(line); // shares the line's bytes
        m_ringBytes += line.raw.size() + kLineOverhead;
        ++m_nextSeq;
    }
    // Whole frames go out at once; the rest waits for the end of this event-loop pass.
    while (frameExtent(m_flushedSeq, m_nextSeq, true) < m_nextSeq - m_flushedSeq)
        flush();
    // Bounded ring (CONVENTIONS.md: nothing grows without a limit); lines still to be
    // offered are never dropped, so trimming happens after the flush above.
    while (!m_ring.empty() && firstSeq() < m_flushedSeq
           && (qint64(m_ring.size()) > m_config.ringLines || m_ringBytes > m_config.ringBytes)) {
        m_ringBytes -= m_ring.front().raw.size() + kLineOverhead;
        m_ring.pop_front();
    }
    scheduleFlush();
}

void LogFanout::scheduleFlush()
{
    if (m_flushScheduled || m_flushedSeq == m_nextSeq)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_flushScheduled = false;
        while (m_flushedSeq < m_nextSeq)
            flush();
    });
}

int LogFanout::frameExtent(qint64 from, qint64 to, bool timestamps) const
{
    qint64 bytes = kFrameOverhead;
    int count = 0;
    for (qint64 s = from; s < to; ++s) {
        const kube::KubeLogLine &l = m_ring[size_t(s - firstSeq())];
        bytes += l.text().size() + 3 + (timestamps ? l.timestamp().size() + 1 : 0);
        if (count > 0 && bytes > m_config.maxFrameBytes)
            break;
        ++count;
    }
    return count;
}

QString LogFanout::frame(qint64 from, int count, bool timestamps) const
{
    ++m_framesBuilt;
    const qint64 first = firstSeq();
    // appendLine() makes room for its line's worst case (6 bytes per byte) before cutting
    // back: reserve for that too, so a frame is never reallocated while it is written.
    qsizetype longest = 0;
    for (qint64 s = from; s < from + count; ++s) {
        const kube::KubeLogLine &l = m_ring[size_t(s - first)];
        longest = qMax(longest, l.text().size() + (timestamps ? l.timestamp().size() + 1 : 0));
    }
    QByteArray out;
    out.reserve(m_config.maxFrameBytes + kFrameOverhead + 6 * longest + 3);
    core::LogFrameWriter::beginLog(out);
    for (qint64 s = from; s < from + count; ++s) {
        const kube::KubeLogLine &l = m_ring[size_t(s - first)];
        core::LogFrameWriter::appendLine(out, timestamps ? l.timestamp() : QByteArrayView(),
                                         l.text());
    }
    core::LogFrameWriter::endLog(out, from, count);
    // Whole lines only; invalid UTF-8 in a line becomes U+FFFD, never a split sequence.
    return QString::fromUtf8(out);
}

QString LogFanout::buildFrame(qint64 from, qint64 to, bool timestamps, int *lines) const
{
    from = qMax(from, firstSeq());
    to = qMin(to, m_nextSeq);
    *lines = from < to ? frameExtent(from, to, timestamps) : 0;
    return *lines > 0 ? frame(from, *lines, timestamps) : QString();
}

void LogFanout::flush()
{
    const qint64 from = m_flushedSeq;
    // One extent for both variants (the larger, stamped one decides), so every viewer sees
    // the same seq boundaries.
    const int count = frameExtent(from, m_nextSeq, true);
    if (count == 0)
        return;
    m_flushedSeq = from + count;
    bool plain = false;
    bool stamped = false;
    for (LogViewer *v : std::as_const(m_viewers))
        (v->wantsTimestamps() ? stamped : plain) = true;
    const QString plainFrame = plain ? frame(from, count, false) : QString();
    const QString stampedFrame = stamped ? frame(from, count, true) : QString();
    const QList<LogViewer *> viewers = m_viewers; // a viewer may leave while delivered to
    for (LogViewer *v : viewers)
        v->logFrame(from, count, v->wantsTimestamps() ? stampedFrame : plainFrame);
}

void LogFanout::onUpstreamState(kube::PodLogStream::State state, const QString &detail)
{
    QString name;
    switch (state) {
    case kube::PodLogStream::State::Idle:
    case kube::PodLogStream::State::Connecting:
        name = QStringLiteral("waiting");
        break;
    case kube::PodLogStream::State::Streaming:
        name = QStringLiteral("streaming");
        break;
    case kube::PodLogStream::State::Reconnecting:
        name = containerNotStarted(detail) ? QStringLiteral("waiting")
                                           : QStringLiteral("reconnecting");
        break;
    case kube::PodLogStream::State::Ended: {
        while (m_flushedSeq < m_nextSeq)
            flush();
        m_ended = true;
        m_state = QStringLiteral("ended");
        m_detail = detail;
        const bool podGone = m_upstream->endReason() == kube::PodLogStream::EndReason::PodDeleted;
        const QList<LogViewer *> viewers = m_viewers;
        for (LogViewer *v : viewers)
            v->logEnded(detail, podGone);
        Q_EMIT ended();
        return;
    }
    }
    if (name == m_state && detail == m_detail)
        return;
    m_state = name;
    m_detail = detail.isEmpty() ? QStringLiteral("%1/%2").arg(m_pod, m_container) : detail;
    const QList<LogViewer *> viewers = m_viewers;
    for (LogViewer *v : viewers)
        v->logState(m_state, m_detail);
}

} // namespace pw::logs
