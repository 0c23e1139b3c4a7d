#pragma once

#include "containerlog.h"

#include <QObject>
#include <QPointer>

namespace pw::http { class HttpStream; }

namespace pw::kubesim {

// Writes one container log to one HTTP response from a position on: in big chunks, only
// while the client keeps up (bufferedBytes under a mark; resumes on drained()), and with
// follow until the log finishes. A fault may end follow streams every N lines of the log
// (at line N, 2N, …: a resumed stream is cut at the next boundary, so clients progress).
class LogFollower : public QObject {
    Q_OBJECT
public:
    LogFollower(ContainerLog *log, http::HttpStream *stream, qint64 from, bool follow,
                bool timestamps,
                qint64 limitBytes, int dropEveryLines, QObject *parent);
    void start();

Q_SIGNALS:
    void finished();

private:
    void pump();
    // Ends the response: cleanly, or cut (no last chunk) for a dropped stream.
    void finish(bool cut = false);

    QPointer<ContainerLog> m_log;
    QPointer<http::HttpStream> m_stream;
    qint64 m_pos;
    bool m_follow;
    bool m_timestamps;
    qint64 m_limitBytes; // limitBytes, 0 = none
    qint64 m_sentBytes = 0;
    int m_dropEvery;
    qint64 m_linesSent = 0;
    qint64 m_stopAt = -1; // without follow: the end as it was at the request
    bool m_pumping = false;
    bool m_done = false;
};

} // namespace pw::kubesim
