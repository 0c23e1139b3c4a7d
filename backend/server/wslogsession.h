#pragma once

#include "wsconfig.h"

#include "logs/logquery.h"

#include <QObject>

namespace pw::logs { class JobLogFollower; }
namespace pw::logs { class LogFanouts; }
namespace pw::logs { class PodCatalog; }

namespace pw::server {

class WsConnection;
class WsLogSource;

// One single-container /ws/pod-logs client (docs/architecture.md §4). Its JobLogFollower
// decides what to follow (pod= and a container, or job=: the job's pods, container after
// container, retried pods included); the session streams each container through a WsLogSource
// on the container's shared stream and tells the client the states. A client that falls
// behind skips frames and catches up from the stream's ring; lines that left the ring are
// reported as {"type":"gap","missed":n}. A v1 client (WsProtocol) gets only the log frames and
// errors: states, gaps and restarts are not sent, gaps and restarts are logged and counted in
// WsStats instead.
class WsLogSession : public QObject
{
    Q_OBJECT
public:
    WsLogSession(WsConnection *connection, logs::LogQuery query, logs::LogFanouts *streams,
                 logs::PodCatalog *catalog, const WsConfig &config, QObject *parent = nullptr);
    ~WsLogSession() override;

    void start();

private:
    void attach(const QString &pod, const QString &container);
    void onSourceDone();
    void detach();
    void sendState(const QString &state, const QString &detail);
    void finish(const QString &detail);
    void fail(const QString &error);

    WsConnection *m_connection;
    logs::LogQuery m_query;
    logs::LogFanouts *m_streams;
    logs::PodCatalog *m_catalog;
    WsConfig m_config;
    logs::JobLogFollower *m_follower = nullptr;
    WsLogSource *m_source = nullptr;
    bool m_firstAttach = true; // tailLines, since and resume= apply to the first container only
    QString m_lastState;
    QString m_lastDetail;
    QString m_lastStreamId;
};

} // namespace pw::server
