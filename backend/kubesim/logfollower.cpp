#include "logfollower.h"

#include "kubesimlog.h"

#include <http/httpstream.h>

namespace pw::kubesim {

namespace {
constexpr qint64 kChunkBytes = 256 * 1024;
constexpr qint64 kHighWater = 1024 * 1024;
} // namespace

LogFollower::LogFollower(ContainerLog *log, http::HttpStream *stream, qint64 from, bool follow,
                         bool timestamps, qint64 limitBytes, int dropEveryLines, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_stream(stream)
    , m_pos(from)
    , m_follow(follow)
    , m_timestamps(timestamps)
    , m_limitBytes(limitBytes)
    , m_dropEvery(dropEveryLines) {
    stream->setLowWaterMark(kChunkBytes);
    connect(stream, &http::HttpStream::drained, this, &LogFollower::pump);
    connect(stream, &http::HttpStream::closed, this, [this] { finish(); });
    connect(stream, &QObject::destroyed, this, [this] { finish(); });
    connect(log, &ContainerLog::grew, this, &LogFollower::pump);
    connect(log, &QObject::destroyed, this, &LogFollower::pump);
}

void LogFollower::start() {
    if (!m_follow && m_log)
        m_stopAt = m_log->endIndex();
    pump();
}

void LogFollower::pump() {
    if (m_done || m_pumping)
        return;
    if (!m_stream || !m_stream->isOpen()) {
        finish();
        return;
    }
    m_pumping = true;
    while (m_log && m_stream && m_stream->bufferedBytes() < kHighWater) {
        const qint64 end = m_stopAt >= 0 ? m_stopAt : m_log->endIndex();
        m_pos = qMax(m_pos, m_log->firstIndex());
        if (m_pos >= end)
            break;
        qint64 to = end;
        const qint64 boundary =
            m_dropEvery > 0 ? (qMax(m_pos, m_log->dropWatermark()) / m_dropEvery + 1) * m_dropEvery
                            : 0;
        if (m_dropEvery > 0)
            to = qMin(to, boundary);
        qint64 budget = kChunkBytes;
        if (m_limitBytes > 0)
            budget = qMin(budget, m_limitBytes - m_sentBytes);
        QByteArray chunk;
        chunk.reserve(kChunkBytes + 4096);
        const qint64 next = m_log->read(m_pos, to, m_timestamps, budget, &chunk);
        m_linesSent += next - m_pos;
        m_pos = next;
        m_sentBytes += chunk.size();
        m_stream->write(chunk);
        if (m_dropEvery > 0 && m_pos == boundary) {
            m_log->setDropWatermark(boundary);
            qCDebug(lcKubeSim) << "dropping log stream at line" << boundary;
            m_pumping = false;
            finish(true);
            return;
        }
        if (m_limitBytes > 0 && m_sentBytes >= m_limitBytes)
            break;
    }
    m_pumping = false;
    const bool caughtUp = !m_log || m_pos >= (m_stopAt >= 0 ? m_stopAt : m_log->endIndex());
    const bool limitReached = m_limitBytes > 0 && m_sentBytes >= m_limitBytes;
    if (limitReached || (caughtUp && (!m_follow || !m_log || m_log->isFinished())))
        finish();
}

void LogFollower::finish(bool cut) {
    if (m_done)
        return;
    m_done = true;
    if (m_stream && cut)
        m_stream->abort(); // a drop must not look like the end of the log
    else if (m_stream)
        m_stream->end();
    Q_EMIT finished();
    deleteLater();
}

} // namespace pw::kubesim
