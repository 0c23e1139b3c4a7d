#pragma once

#include "wsconfig.h"
#include "wslogstream.h"
#include "wswriteturns.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class KubeClient;
class WsLogStream;
class WsLogViewer;

// The shared log streams by namespace/pod/container: the first viewer starts one, later
// viewers join it, the last viewer leaving ends it (docs/architecture.md §4).
class WsLogStreams : public QObject
{
    Q_OBJECT
public:
    WsLogStreams(KubeClient *client, const WsConfig &config, QObject *parent = nullptr);

    // Joins (or starts, asking the cluster as `options` say) the stream.
    WsLogStream *join(WsLogViewer *viewer, const QString &ns, const QString &pod,
                      const QString &container, const WsLogStreamOptions &options);
    void leave(WsLogViewer *viewer, WsLogStream *stream);
    int streamCount() const { return int(m_streams.size()); }
    quint64 streamsStarted() const { return m_started; }
    // Turns for viewers sending from a ring, shared by every stream so one pass is fair to all.
    WsWriteTurns *turns() { return &m_turns; }

private:
    KubeClient *m_client;
    WsConfig m_config;
    QHash<QString, WsLogStream *> m_streams; // live (not ended) streams by key
    quint64 m_started = 0;
    WsWriteTurns m_turns;
};
