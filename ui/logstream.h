#pragma once

#include "core/backoff.h"
#include "core/resumecursor.h"

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QWebSocket>

class ApiClient;
struct LogFrame;

// What to follow: a pod, or the pod of a job, and one container.
struct LogTarget {
    QString namespaceName;
    QString pod; // either pod…
    QString job; // …or job
    QString container;
    int tailLines = 1000;
    bool timestamps = true;

    bool isValid() const { return !namespaceName.isEmpty() && (!pod.isEmpty() || !job.isEmpty()); }
    QString describe() const;
};

// One /ws/pod-logs stream (docs/architecture.md §4). Lines come out in batches with the number of the
// first; a dropped connection is reopened with backoff and `resume=` the next line number,
// so the server replays what was missed or says how much is gone (`gap`). Line numbers belong
// to one server stream, named by the id in its "stream" messages; the id goes back with
// `resume=` (`stream=`), and a new id means numbers from that stream's start; a restarted
// stream's replayed lines are dropped by their timestamp (ResumeCursor, core/resumecursor.h).
class LogStream : public QObject {
    Q_OBJECT
public:
    LogStream(ApiClient *client, const LogTarget &target, QObject *parent = nullptr);
    ~LogStream() override;

    const LogTarget &target() const { return m_target; }
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    qint64 nextSeq() const { return m_cursor.nextSeq(); }
    // The id of the server stream nextSeq() counts in; empty before the first, or from a
    // server that sends none.
    QString streamId() const { return m_cursor.streamId(); }

Q_SIGNALS:
    void linesReceived(const QStringList &lines, qint64 firstSeq);
    void streamStateChanged(const QString &state, const QString &detail);
    // `restarted`: the server's stream started over (its numbering too); nothing may be
    // missing, but lines shown before may follow again unless timestamps tell them apart.
    void gap(qint64 missed, bool restarted);
    void reconnecting(int delayMs, const QString &why);
    void reconnected();
    void failed(const QString &error); // the server refused the stream; no retry

private:
    void open();
    void enqueue(const QString &message);
    void processPending(qint64 budgetMs);
    void onMessage(const QString &message);
    void onLogFrame(LogFrame &&frame);
    void onRestarted(qint64 nextSeq);
    void onStreamId(const QString &id);
    void onClosed();

    ApiClient *m_client;
    LogTarget m_target;
    QWebSocket m_socket;
    QTimer m_retry;
    QTimer m_process;          // works through m_pending a slice at a time
    QList<QString> m_pending;  // frames read but not yet handled
    qint64 m_pendingChars = 0; // bounded: past the limit the stream is reopened with resume=
    Backoff m_backoff{500, 10'000};
    ResumeCursor m_cursor; // where the reader is in the server's stream (docs/api.md)
    bool m_running = false;
    bool m_everConnected = false;
    bool m_fatal = false;
    bool m_ended = false;
};
