#pragma once

#include "wslogstream.h"
#include "wslogviewer.h"
#include "wswriteturns.h"

#include <QObject>
#include <QPointer>

class WsConnection;
class WsLogStreams;

// One source (pod/container) of a merged /ws/pod-logs session (docs/architecture.md §4): a
// viewer of that container's shared stream whose log messages also name the pod and the
// container. Lines a slow client missed are told as a gap naming the source. The session
// is told when the source has sent its last line (done()). Lines from the ring go out in fair
// turns with every other viewer (WsWriteTurns).
class WsLogSource : public QObject, public WsLogViewer, public WsWriteTurns::Writer
{
    Q_OBJECT
public:
    WsLogSource(WsConnection *connection, WsLogStreams *streams, const QString &ns,
                const QString &pod, const QString &container, QObject *parent = nullptr);
    ~WsLogSource() override;

    // Joins the shared stream, starting at the last `tailLines` lines / at `sinceTime`, or at
    // `resumeSeq` (>= 0) when `resumeStream` is the live stream's id (else the client is told
    // the stream restarted); what the ring already holds is sent by the first catchUp().
    void start(const WsLogStreamOptions &options, bool timestamps, const QString &resumeStream = {},
               qint64 resumeSeq = -1);
    QString pod() const { return m_pod; }
    QString container() const { return m_container; }
    QString streamId() const;
    bool hasEnded() const { return m_ended; }
    QString endDetail() const { return m_endDetail; }
    // Asks for a turn to send what the client has not had yet (WsWriteTurns).
    void catchUp();

    bool wantsTimestamps() const override { return m_timestamps; }
    void logFrame(qint64 seq, int lines, const QString &frame) override;
    void logState(const QString &state, const QString &detail) override;
    void logEnded(const QString &detail, bool podGone) override;
    bool writeTurn(qint64 budgetBytes) override;

Q_SIGNALS:
    void stateChanged(WsLogSource *source, const QString &state, const QString &detail);
    // Every line of the ended stream has been sent (or reported missed).
    void done(WsLogSource *source);

private:
    bool send(const QString &frame);
    void checkDone();
    void sendRestarted(const QString &resumeStream, qint64 resumeSeq);

    WsConnection *m_connection;
    WsLogStreams *m_streams;
    QString m_ns;
    QString m_pod;
    QString m_container;
    QString m_suffix; // ,"pod":…,"container":…} closing every log message
    QPointer<WsLogStream> m_stream;
    qint64 m_next = 0;
    bool m_timestamps = false;
    bool m_ended = false;
    bool m_doneSent = false;
    QString m_endDetail;
};
