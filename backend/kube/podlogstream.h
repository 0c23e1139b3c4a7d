#pragma once

#include "core/backoff.h"
#include "kubetimestamp.h"
#include "linesplitter.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QNetworkReply;
class QTimer;

namespace pw::kube {

class KubeCall;
class KubeClient;

struct PodLogOptions {
    QString namespaceName;
    QString pod;
    QString container;  // empty: the pod's only container
    int tailLines = -1; // < 0: all
    QString sinceTime;  // RFC 3339, sent as given (a '+' offset is percent-encoded)
    bool previous = false;
    bool follow = true;
    // A longer line is delivered once, cut to this many bytes at a UTF-8 boundary, with
    // `truncated` set and the marker appended; the rest of it is skipped.
    qint64 maxLineBytes = 1024 * 1024;
    int retryInitialMs = 250;
    int retryMaxMs = 10'000;
};

struct KubeLogLine {
    // The line as the server wrote it, without its '\n' (kTruncatedMarker appended when it
    // was cut): one allocation per line; timestamp() and text() are views into it.
    QByteArray raw;
    qsizetype textStart = 0; // where text() starts: 0 without a timestamp, else its size + 1
    bool truncated = false;

    // As the server wrote it (RFC 3339, up to 9 fractional digits); empty when there was none.
    QByteArrayView timestamp() const {
        return textStart > 0 ? QByteArrayView(raw).first(textStart - 1) : QByteArrayView();
    }
    // The whole line without the timestamp.
    QByteArrayView text() const { return QByteArrayView(raw).sliced(textStart); }
};

// Follows one container's log: GET …/pods/{pod}/log?follow=true&timestamps=true. Delivers
// whole lines in batches (one signal per network read). After a drop it resumes with
// sinceTime = the last delivered timestamp cut to seconds (all the API accepts) and skips
// what it already delivered: lines before that timestamp, and as many lines at it as were
// delivered — no gap, no duplicate. When the stream ends it asks for the pod to tell a
// finished container or a deleted pod from a dropped connection.
class PodLogStream : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Streaming, Reconnecting, Ended };
    Q_ENUM(State)
    enum class EndReason { None, ContainerTerminated, PodDeleted, Stopped, Error };
    Q_ENUM(EndReason)

    static constexpr char kTruncatedMarker[] = " [pullwatch: line truncated]";

    PodLogStream(KubeClient *client, PodLogOptions options, QObject *parent = nullptr);
    ~PodLogStream() override;

    void start();
    void stop();
    State state() const { return m_state; }
    EndReason endReason() const { return m_endReason; }
    QString detail() const { return m_detail; }
    quint64 deliveredLines() const { return m_delivered; }
    int connectionCount() const { return m_connections; }
    // The query of the next (re)connection, for inspection.
    QUrl nextUrl() const;

Q_SIGNALS:
    void linesReceived(const QList<KubeLogLine> &lines);
    void stateChanged(PodLogStream::State state, const QString &detail);

private:
    void connectStream();
    void onOpened(QNetworkReply *reply, const QString &error);
    void onData();
    void onFinished();
    void onStreamEnded(bool progressed);
    void onPodChecked(KubeCall *call, bool progressed);
    bool accept(const KubeTimestamp &ts);
    void handleErrorStatus(int status, const QByteArray &body);
    void setState(State state, const QString &detail = {});
    void end(EndReason reason, const QString &detail);
    void retryLater(const QString &why);
    void dropReply();

    QPointer<KubeClient> m_client;
    PodLogOptions m_options;
    QPointer<QNetworkReply> m_reply;
    LineSplitter m_lines;
    core::Backoff m_backoff;
    QTimer *m_retry;
    State m_state = State::Idle;
    EndReason m_endReason = EndReason::None;
    QString m_detail;
    // Resume bookkeeping.
    KubeTimestamp m_last;  // last delivered timestamp
    int m_countAtLast = 0; // lines delivered with exactly that timestamp
    bool m_resuming = false;
    KubeTimestamp m_resumeAt;
    int m_resumeSkip = 0;
    int m_seenAtResume = 0;
    bool m_gotData = false;
    quint64 m_deliveredAtConnect = 0;
    quint64 m_delivered = 0;
    int m_connections = 0;
    quint64 m_generation = 0;
};

} // namespace pw::kube
