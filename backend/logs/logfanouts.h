#pragma once

#include "logconfig.h"
#include "logfanout.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace pw::kube { class KubeClient; }

namespace pw::logs {

class LogFanout;
class LogViewer;

// The shared log streams by namespace/pod/container: the first viewer starts one, later
// viewers join it, the last viewer leaving ends it (docs/architecture.md §4).
class LogFanouts : public QObject
{
    Q_OBJECT
public:
    LogFanouts(kube::KubeClient *client, const LogConfig &config, QObject *parent = nullptr);

    // Joins (or starts, asking the cluster as `options` say) the stream.
    LogFanout *join(LogViewer *viewer, const QString &ns, const QString &pod,
                      const QString &container, const LogFanoutOptions &options);
    void leave(LogViewer *viewer, LogFanout *stream);
    int streamCount() const { return int(m_streams.size()); }
    quint64 streamsStarted() const { return m_started; }

private:
    kube::KubeClient *m_client;
    LogConfig m_config;
    QHash<QString, LogFanout *> m_streams; // live (not ended) streams by key
    quint64 m_started = 0;
};

} // namespace pw::logs
