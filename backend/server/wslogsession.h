#pragma once

#include "wsconfig.h"
#include "wslogquery.h"
#include "wslogviewer.h"
#include "wswriteturns.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>

class WsConnection;
class WsLogStream;
class WsLogStreams;
class WsNamespacePods;
class WsPodCatalog;

// One /ws/pod-logs client (docs/architecture.md §4). Resolves what to follow (pod= and a container, or
// job=: waits for the job's pod, follows its init containers then its main containers, then
// the job's next pod if it retries), joins the shared stream of each container, and sends
// its frames. A client that falls behind skips frames and catches up from the stream's
// ring, in fair turns with every other viewer (WsWriteTurns); lines that left the ring are
// reported as {"type":"gap","missed":n}. A v1 client (WsProtocol) gets only the log frames
// and errors: states, gaps and restarts are not sent, gaps and restarts are logged and
// counted in WsStats instead.
class WsLogSession : public QObject, public WsLogViewer, public WsWriteTurns::Writer
{
    Q_OBJECT
public:
    WsLogSession(WsConnection *connection, WsLogQuery query, WsLogStreams *streams,
                 WsPodCatalog *catalog, const WsConfig &config, QObject *parent = nullptr);
    ~WsLogSession() override;

    void start();

    bool wantsTimestamps() const override { return m_query.timestamps; }
    void logFrame(qint64 seq, int lines, const QString &frame) override;
    void logState(const QString &state, const QString &detail) override;
    void logEnded(const QString &detail, bool podGone) override;
    bool writeTurn(qint64 budgetBytes) override;

private:
    void onCatalogReady();
    void lookForJobPod();
    void followPod(const QJsonObject &pod, const QStringList &containers);
    void tryAttach();
    void attach(const QString &container);
    void onPodChanged(const QJsonObject &pod);
    void onPodDeleted(const QJsonObject &pod);
    void nextContainer();
    void sendRestarted(qint64 nextSeq);
    // Reports `missed` lines the client did not get; false when the client was closed.
    bool sendGap(qint64 missed);
    void detach();
    void onDrained();
    void containerDone();
    void podDone();
    void checkJobFinished();
    void waitForJobPod(const QString &detail);
    void sendState(const QString &state, const QString &detail);
    void finish(const QString &detail);
    void fail(const QString &error);

    WsConnection *m_connection;
    WsLogQuery m_query;
    WsLogStreams *m_streams;
    WsPodCatalog *m_catalog;
    WsConfig m_config;
    WsNamespacePods *m_pods = nullptr;
    QString m_podName;
    QStringList m_containers;
    int m_index = 0;
    bool m_skipRest = false;
    QPointer<WsLogStream> m_stream;
    qint64 m_next = 0;
    bool m_streamEnded = false;
    bool m_firstAttach = true;
    bool m_waitingForPod = false;
    bool m_waitingForContainer = false;
    bool m_done = false;
    QString m_endDetail;
    QSet<QString> m_followedPods;
    QTimer m_waitTimer;
    QString m_lastState;
    QString m_lastDetail;
    QString m_lastStreamId;
};
