#pragma once

#include "logconfig.h"

#include "kube/podlogstream.h"

#include <QList>
#include <QObject>

#include <deque>

namespace pw::kube { class KubeClient; }

namespace pw::logs {

class LogViewer;

// What a new upstream asks the cluster for. `previous` names another upstream (the last
// terminated run, read to its end); tailLines and sinceTime only shape a new upstream's
// start: a viewer joining a live stream starts in its ring (seqAtOrAfter).
struct LogFanoutOptions
{
    int tailLines = -1; // < 0: all
    QString sinceTime;  // RFC 3339; empty: from the start
    bool previous = false;
};

// One upstream pod log (namespace/pod/container) shared by every viewer of it
// (docs/architecture.md §4): lines are numbered (seq from 0), kept in a bounded ring for tailLines and
// resume=, and gathered into frames of up to maxFrameBytes or one event-loop pass; each
// frame is built once per variant (with or without timestamps) and the same QString goes to
// every viewer.
class LogFanout : public QObject
{
    Q_OBJECT
public:
    LogFanout(kube::KubeClient *client, const QString &ns, const QString &pod,
                const QString &container, const LogFanoutOptions &options,
                const LogConfig &config, QObject *parent = nullptr);
    ~LogFanout() override;

    static QString key(const QString &ns, const QString &pod, const QString &container,
                       bool previous = false);
    QString key() const { return key(m_ns, m_pod, m_container, m_previous); }
    QString pod() const { return m_pod; }
    QString container() const { return m_container; }
    // Random, so an id from an earlier stream of the same container, or from before a server
    // restart, never names this one: seq numbers are only meaningful together with it.
    QString id() const { return m_id; }

    void start();
    void addViewer(LogViewer *viewer);
    // Returns how many viewers remain.
    int removeViewer(LogViewer *viewer);
    int viewerCount() const { return int(m_viewers.size()); }

    // The ring: lines [firstSeq, flushedSeq) have been offered to viewers.
    qint64 firstSeq() const { return m_nextSeq - qint64(m_ring.size()); }
    qint64 flushedSeq() const { return m_flushedSeq; }
    // One frame of ring lines from `from` (at most up to `to`, at most maxFrameBytes);
    // *lines says how many it holds.
    // Where a new viewer asking for the last `tailLines` (< 0: all) lines from `sinceTime`
    // (RFC 3339; empty: any) starts in the ring.
    qint64 startFor(int tailLines, const QString &sinceTime) const;
    QString buildFrame(qint64 from, qint64 to, bool timestamps, int *lines) const;

    QString state() const { return m_state; }
    QString detail() const { return m_detail; }
    bool hasEnded() const { return m_ended; }
    quint64 framesBuilt() const { return m_framesBuilt; }
    qint64 ringBytes() const { return m_ringBytes; }

Q_SIGNALS:
    void ended();

private:
    void onLines(const QList<kube::KubeLogLine> &lines);
    void scheduleFlush();
    void flush();
    void onUpstreamState(kube::PodLogStream::State state, const QString &detail);
    int frameExtent(qint64 from, qint64 to, bool timestamps) const;
    QString frame(qint64 from, int count, bool timestamps) const;

    QString m_ns;
    QString m_pod;
    QString m_container;
    bool m_previous = false;
    QString m_id;
    LogConfig m_config;
    kube::PodLogStream *m_upstream;
    QList<LogViewer *> m_viewers;
    std::deque<kube::KubeLogLine> m_ring;
    qint64 m_ringBytes = 0;
    qint64 m_nextSeq = 0;
    qint64 m_flushedSeq = 0;
    bool m_flushScheduled = false;
    QString m_state = QStringLiteral("waiting");
    QString m_detail;
    bool m_ended = false;
    mutable quint64 m_framesBuilt = 0;
};

} // namespace pw::logs
