#pragma once

#include "logs/logfanout.h"
#include "logs/logviewer.h"

#include <QObject>
#include <QPointer>

namespace pw::logs { class LogFanouts; }

namespace pw::server {

class WsConnection;

// One source (pod/container) of a /ws/pod-logs session (docs/architecture.md §4), the one
// place where a session's lines go to its connection: a viewer of that container's shared
// stream that sends what the client has not had yet as the connection takes it, reports lines
// a slow client missed as a gap, and says when the source has sent its last line (done()).
// In a merged session (Naming::PodAndContainer) its log and gap messages also name the pod and
// the container; a single-container session's messages do not.
class WsLogSource : public QObject, public logs::LogViewer
{
    Q_OBJECT
public:
    enum class Naming { None, PodAndContainer };

    WsLogSource(WsConnection *connection, logs::LogFanouts *streams, const QString &ns,
                const QString &pod, const QString &container, Naming naming,
                QObject *parent = nullptr);
    ~WsLogSource() override;

    // Joins the shared stream, starting at the last `tailLines` lines / at `sinceTime`, or at
    // `resumeSeq` (>= 0) when `resumeStream` is the live stream's id (empty: whichever is
    // live) and the stream has got that far (else the client is told the stream restarted);
    // what the ring already holds is sent by the first catchUp().
    void start(const logs::LogFanoutOptions &options, bool timestamps,
               const QString &resumeStream = {},
               qint64 resumeSeq = -1);
    // Leaves the shared stream: nothing more is sent.
    void stop();
    QString pod() const { return m_pod; }
    QString container() const { return m_container; }
    QString streamId() const;
    // The shared stream's state and detail (waiting, streaming, …).
    QString streamState() const;
    QString streamDetail() const;
    bool hasEnded() const { return m_ended; }
    QString endDetail() const { return m_endDetail; }
    bool podGone() const { return m_podGone; }
    // Sends what the client has not had yet, as far as the connection takes it.
    void catchUp();

    bool wantsTimestamps() const override { return m_timestamps; }
    void logFrame(qint64 seq, int lines, const QString &frame) override;
    void logState(const QString &state, const QString &detail) override;
    void logEnded(const QString &detail, bool podGone) override;

Q_SIGNALS:
    void stateChanged(WsLogSource *source, const QString &state, const QString &detail);
    // Every line of the ended stream has been sent (or reported missed).
    void done(WsLogSource *source);

private:
    void catchUpTo(qint64 to);
    bool send(const QString &frame);
    void checkDone();
    void sendRestarted(const QString &resumeStream, qint64 resumeSeq);
    QString restartDetail(const QString &resumeStream, qint64 resumeSeq) const;
    // The names its messages carry (empty when not named).
    QString namedPod() const;
    QString namedContainer() const;

    WsConnection *m_connection;
    logs::LogFanouts *m_streams;
    QString m_ns;
    QString m_pod;
    QString m_container;
    Naming m_naming;
    QString m_suffix; // ,"pod":…,"container":…} closing every log message of a merged session
    QPointer<logs::LogFanout> m_stream;
    qint64 m_next = 0;
    bool m_timestamps = false;
    bool m_ended = false;
    bool m_podGone = false;
    bool m_doneSent = false;
    QString m_endDetail;
};

} // namespace pw::server
