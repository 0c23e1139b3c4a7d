#pragma once

#include "wsconfig.h"

#include "core/selectors.h"
#include "logs/logquery.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace pw::kube { class KubePod; }
namespace pw::logs { class LogFanouts; }
namespace pw::logs { class NamespacePods; }
namespace pw::logs { class PodCatalog; }

namespace pw::server {

class WsConnection;
class WsLogSource;

// A merged /ws/pod-logs client (docs/architecture.md §4): container=* of a pod or of every pod
// of a job (retried pods included), or every pod matching selector= (pods joining and leaving
// live), at most max_pods pods at once. Each container run is a WsLogSource on the shared
// stream of that container, started once the container has started (init containers first,
// as they run) and again when it restarts; `stream` messages name the source they are about.
class WsMergedLogSession : public QObject
{
    Q_OBJECT
public:
    WsMergedLogSession(WsConnection *connection, logs::LogQuery query, logs::LogFanouts *streams,
                       logs::PodCatalog *catalog, const WsConfig &config, QObject *parent = nullptr);
    ~WsMergedLogSession() override;

    void start();

private:
    bool matches(const kube::KubePod &pod) const;
    void scan();
    void followContainers(const kube::KubePod &pod);
    void startSource(const QString &pod, const QString &container, bool first);
    void onSourceState(WsLogSource *source, const QString &state, const QString &detail);
    void onSourceDone(WsLogSource *source);
    void onPodDeleted(const kube::KubePod &pod);
    void onDrained();
    void checkFinished();
    void sendState(const QString &state, const QString &detail, const QString &pod = {},
                   const QString &container = {}, const QString &streamId = {});
    void finish(const QString &detail);
    void fail(const QString &error);

    WsConnection *m_connection;
    logs::LogQuery m_query;
    logs::LogFanouts *m_streams;
    logs::PodCatalog *m_catalog;
    WsConfig m_config;
    core::Selector m_selector;
    logs::NamespacePods *m_pods = nullptr;
    QHash<QString, WsLogSource *> m_sources; // live, by pod/container
    QSet<QString> m_runsStarted;             // pod/container/restartCount
    QSet<QString> m_containersSeen;          // pod/container: tailLines and since apply once
    QSet<QString> m_followed;                // pods followed (counted against max_pods)
    QSet<QString> m_refused;                 // pods over max_pods, told once
    QTimer m_waitTimer;
    QTimer m_jobCheck; // asks again whether the job has finished while nothing is followed
    bool m_synced = false;
    bool m_checking = false;
    bool m_done = false;
};

} // namespace pw::server
