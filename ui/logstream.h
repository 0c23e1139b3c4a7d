#pragma once

#include "backoff.h"

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

// One /ws/pod-logs stream (DESIGN.md §4). Lines come out in batches with the number of the
// first; a dropped connection is reopened with backoff and `resume=` the next line number,
// so the server replays what was missed or says how much is gone (`gap`).
class LogStream : public QObject {
    Q_OBJECT
public:
    LogStream(ApiClient *client, const LogTarget &target, QObject *parent = nullptr);
    ~LogStream() override;

    const LogTarget &target() const { return m_target; }
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    qint64 nextSeq() const { return m_nextSeq; }

Q_SIGNALS:
    void linesReceived(const QStringList &lines, qint64 firstSeq);
    void streamStateChanged(const QString &state, const QString &detail);
    void gap(qint64 missed);
    void reconnecting(int delayMs, const QString &why);
    void reconnected();
    void failed(const QString &error); // the server refused the stream; no retry

private:
    void open();
    void enqueue(const QString &message);
    void processPending(qint64 budgetMs);
    void onMessage(const QString &message);
    void onLogFrame(LogFrame &&frame);
    void onClosed();

    ApiClient *m_client;
    LogTarget m_target;
    QWebSocket m_socket;
    QTimer m_retry;
    QTimer m_process;          // works through m_pending a slice at a time
    QList<QString> m_pending;  // frames read but not yet handled
    qint64 m_pendingChars = 0; // bounded: past the limit the stream is reopened with resume=
    Backoff m_backoff{500, 10'000};
    qint64 m_nextSeq = -1; // -1 before the first line
    bool m_running = false;
    bool m_everConnected = false;
    bool m_fatal = false;
    bool m_ended = false;
};
