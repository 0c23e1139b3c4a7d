#pragma once

#include "core/backoff.h"
#include "core/resumecursor.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

namespace pw::core { struct LogFrame; }

namespace pw::ui {

class ApiClient;

// What to follow: a pod, the pods of a job, or the pods matching a label selector, and one
// container or every container (`*`, merged: docs/api.md "Merged mode").
struct LogTarget {
    QString namespaceName;
    QString pod;       // either pod…
    QString job;       // …or job…
    QString container; // empty: the server's choice; `*`: every container, merged
    int tailLines = 1000;
    bool timestamps = true;
    QString selector{};    // …or a label selector (always merged; pod and job empty)
    int sinceSeconds = 0;  // > 0: only lines of the last N seconds
    QDateTime sinceTime{}; // valid: only lines from then on (instead of sinceSeconds)
    bool previous = false; // the containers' previous (terminated) runs

    bool isValid() const {
        return !namespaceName.isEmpty() &&
               (!pod.isEmpty() || !job.isEmpty() || !selector.isEmpty());
    }
    // Lines come from several containers, each frame naming its pod and container.
    bool isMerged() const { return container == QStringLiteral("*") || !selector.isEmpty(); }
    QString describe() const;
    // What is followed, without namespace and container: `pod`, `job/J` or `-l S`.
    QString subject() const;
    // What makes two targets the same stream to the viewer (the tab it belongs in).
    QString key() const;
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
    // The query of the last connection opened (parameters as sent).
    QUrlQuery lastQuery() const { return m_lastQuery; }

Q_SIGNALS:
    // `source` is "pod/container" in merged mode (firstSeq then counts in that source), else
    // empty.
    void linesReceived(const QStringList &lines, qint64 firstSeq, const QString &source);
    // Merged mode: a state of one source ("pod/container", or "pod" when a pod went).
    void sourceStateChanged(const QString &source, const QString &state, const QString &detail);
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
    void onLogFrame(core::LogFrame &&frame);
    void onMergedFrame(core::LogFrame &&frame);
    bool onSourceMessage(const QString &type, const QJsonObject &o);
    core::ResumeCursor &sourceCursor(const QString &source);
    void addParameters(QUrlQuery &q) const;
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
    core::Backoff m_backoff{500, 10'000};
    core::ResumeCursor m_cursor; // where the reader is in the server's stream (docs/api.md)
    // Merged mode: each source's own cursor (resume is per source), by "pod/container".
    QHash<QString, core::ResumeCursor> m_sources;
    QUrlQuery m_lastQuery;
    bool m_running = false;
    bool m_everConnected = false;
    bool m_fatal = false;
    bool m_ended = false;
};

} // namespace pw::ui
