#include "wslogsession.h"

#include "serverlog.h"
#include "wsconnection.h"
#include "wsjson.h"
#include "wslogend.h"
#include "wslogstream.h"
#include "wslogstreams.h"
#include "wsnamespacepods.h"
#include "wspodcatalog.h"
#include "wsstats.h"

#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeobject.h"

#include <QJsonArray>

WsLogSession::WsLogSession(WsConnection *connection, WsLogQuery query, WsLogStreams *streams,
                           WsPodCatalog *catalog, const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_query(std::move(query))
    , m_streams(streams)
    , m_catalog(catalog)
    , m_config(config)
{
    m_connection->setParent(this);
    connect(m_connection, &WsConnection::closed, this, &QObject::deleteLater);
    connect(m_connection, &WsConnection::drained, this, &WsLogSession::onDrained);
    connect(m_connection, &WsConnection::messageReceived, this, [this] {
        m_connection->reject(QStringLiteral("this endpoint takes no messages"));
    });
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] {
        finish(QStringLiteral("no pod of job %1 appeared within %2 s")
                   .arg(m_query.job)
                   .arg(m_config.jobWaitMs / 1000.0));
    });
}

WsLogSession::~WsLogSession()
{
    detach();
    if (m_pods)
        m_catalog->release(m_pods);
}

void WsLogSession::start()
{
    m_query.fixSince(QDateTime::currentDateTimeUtc());
    m_pods = m_catalog->acquire(m_query.namespaceName);
    connect(m_pods, &WsNamespacePods::podChanged, this, &WsLogSession::onPodChanged);
    connect(m_pods, &WsNamespacePods::podDeleted, this, &WsLogSession::onPodDeleted);
    if (!m_query.job.isEmpty()) {
        waitForJobPod(QStringLiteral("waiting for a pod of job %1").arg(m_query.job));
    }
    if (m_pods->hasSynced())
        onCatalogReady();
    else
        connect(m_pods, &WsNamespacePods::synced, this, &WsLogSession::onCatalogReady,
                Qt::SingleShotConnection);
}

void WsLogSession::onCatalogReady()
{
    if (!m_query.job.isEmpty()) {
        lookForJobPod();
        return;
    }
    const QJsonObject pod = m_pods->pod(m_query.pod);
    if (pod.isEmpty()) {
        fail(QStringLiteral("pod %1 not found in namespace %2").arg(m_query.pod, m_query.namespaceName));
        return;
    }
    const QStringList init = WsNamespacePods::containerNames(pod, true);
    const QStringList main = WsNamespacePods::containerNames(pod, false);
    if (!m_query.container.isEmpty()) {
        if (!init.contains(m_query.container) && !main.contains(m_query.container)) {
            fail(QStringLiteral("container %1 is not in pod %2; its containers: %3")
                     .arg(m_query.container, m_query.pod, (init + main).join(QStringLiteral(", "))));
            return;
        }
        followPod(pod, {m_query.container});
    } else if (main.size() == 1) {
        followPod(pod, main);
    } else {
        fail(QStringLiteral("pod %1 has several containers; choose one with container=: %2")
                 .arg(m_query.pod, (init + main).join(QStringLiteral(", "))));
    }
}

void WsLogSession::waitForJobPod(const QString &detail)
{
    m_waitingForPod = true;
    sendState(QStringLiteral("waiting"), detail);
    m_waitTimer.start(m_config.jobWaitMs);
}

void WsLogSession::lookForJobPod()
{
    const QJsonObject pod = m_pods->newestPodOf(m_query.job, m_followedPods);
    if (pod.isEmpty())
        return;
    m_waitingForPod = false;
    m_waitTimer.stop();
    QStringList containers{m_query.container};
    if (m_query.container.isEmpty())
        containers = WsNamespacePods::containerNames(pod, true)
            + WsNamespacePods::containerNames(pod, false);
    followPod(pod, containers);
}

void WsLogSession::followPod(const QJsonObject &pod, const QStringList &containers)
{
    m_podName = KubeObject::name(pod);
    m_followedPods.insert(m_podName);
    m_containers = containers;
    m_index = 0;
    m_skipRest = false;
    if (m_containers.isEmpty()) {
        podDone();
        return;
    }
    tryAttach();
}

void WsLogSession::onPodChanged(const QJsonObject &pod)
{
    if (m_done || !m_pods->hasSynced())
        return;
    if (m_waitingForPod) {
        lookForJobPod();
    } else if (m_waitingForContainer && KubeObject::name(pod) == m_podName) {
        tryAttach();
    }
}

void WsLogSession::onPodDeleted(const QJsonObject &pod)
{
    if (m_done || !m_waitingForContainer || KubeObject::name(pod) != m_podName)
        return;
    m_waitingForContainer = false;
    m_endDetail = QStringLiteral("pod %1 was deleted").arg(m_podName);
    podDone();
}

void WsLogSession::tryAttach()
{
    // A container's log is asked for once it has started (the pod watch says when), so no
    // request is made for a container that is still being created.
    const QString container = m_containers.value(m_index);
    const QJsonObject pod = m_pods->pod(m_podName);
    if (pod.isEmpty()) {
        m_waitingForContainer = false;
        m_endDetail = QStringLiteral("pod %1 was deleted").arg(m_podName);
        podDone();
        return;
    }
    QString reason;
    const QString state = WsNamespacePods::containerState(pod, container, &reason);
    if (state != QLatin1String("waiting")) {
        m_waitingForContainer = false;
        attach(container);
        return;
    }
    const QString phase = WsNamespacePods::phaseOf(pod);
    if (phase == QLatin1String("Failed") || phase == QLatin1String("Succeeded")) {
        m_waitingForContainer = false;
        m_endDetail = QStringLiteral("container %1 never started (pod %2 %3)")
                          .arg(container, m_podName, phase);
        nextContainer();
        return;
    }
    m_waitingForContainer = true;
    sendState(QStringLiteral("waiting"),
              QStringLiteral("container %1 of pod %2 is waiting to start: %3")
                  .arg(container, m_podName, reason));
}

void WsLogSession::attach(const QString &container)
{
    m_stream = m_streams->join(this, m_query.namespaceName, m_podName, container,
                               m_query.streamOptions(m_firstAttach));
    m_streamEnded = false;
    const qint64 first = m_stream->firstSeq();
    const qint64 flushed = m_stream->flushedSeq();
    m_next = first;
    if (m_firstAttach && m_query.resume >= 0) {
        // resume= is a seq of the stream named by stream= (clients that do not send it: of
        // whichever stream is live). Another stream's numbers (an earlier stream of this
        // container: its last viewer left or the log ended, and this is a new upstream
        // numbered from 0) mean nothing here, even when this one has got past them.
        const bool otherStream = !m_query.stream.isEmpty() && m_query.stream != m_stream->id();
        if (otherStream || m_query.resume > flushed) {
            // Said in fields a client can act on, not only in the detail (docs/api.md).
            sendRestarted(m_next);
        } else {
            m_next = m_query.resume; // below the ring: its turn reports the gap
        }
    } else if (m_firstAttach) {
        m_next = m_stream->startFor(m_query.tailLines, m_query.sinceTime);
    }
    m_firstAttach = false;
    sendState(m_stream->state(), m_stream->detail());
    if (m_next < flushed)
        m_streams->turns()->request(this); // the ring's lines, in turn with the other viewers
}

void WsLogSession::sendRestarted(qint64 nextSeq)
{
    if (m_connection->isV1()) {
        // The original's viewers have no message for it (docs/api.md): logged and counted.
        ++m_connection->stats()->v1RestartsWithheld;
        qCInfo(lcServer).noquote() << "v1 log viewer of" << m_query.namespaceName << m_podName
                                   << "resumed at" << m_query.resume
                                   << "into a restarted stream; sending it from line" << nextSeq;
        return;
    }
    // {"type":"gap","missed":0,...}: older clients read the gap; "restarted" and "seq" tell a
    // client to forget its line numbers and take the next frame's, which starts at `seq`.
    QJsonObject o{
        {QStringLiteral("type"), QStringLiteral("gap")},
        {QStringLiteral("missed"), 0},
        {QStringLiteral("restarted"), true},
        {QStringLiteral("seq"), nextSeq},
        {QStringLiteral("detail"),
         QStringLiteral("resume=%1 is not in this stream (it restarted at 0%2); sending it from "
                        "line %3")
             .arg(m_query.resume)
             .arg(m_query.stream.isEmpty() ? QString()
                                           : QStringLiteral(" as stream %1; stream %2 is gone")
                                                 .arg(m_stream->id(), m_query.stream))
             .arg(nextSeq)},
    };
    m_connection->send(WsJson::text(o));
}

void WsLogSession::detach()
{
    m_streams->turns()->cancel(this);
    if (m_stream)
        m_streams->leave(this, m_stream);
    m_stream = nullptr;
}

bool WsLogSession::writeTurn(qint64 budgetBytes)
{
    if (!m_stream || !m_connection->isOpen())
        return false;
    const qint64 to = m_stream->flushedSeq();
    const qint64 first = m_stream->firstSeq();
    if (m_next < first) {
        if (!sendGap(first - m_next))
            return false;
        m_next = first;
    }
    qint64 written = 0;
    while (m_next < to && written < budgetBytes) {
        // Asked even when behind: a refusal is what makes the connection report drained(),
        // which asks for the next turn.
        if (m_connection->isBehind()) {
            m_connection->sendSkippable(QString());
            return false;
        }
        int lines = 0;
        const QString frame = m_stream->buildFrame(m_next, to, m_query.timestamps, &lines);
        if (lines == 0 || !m_connection->sendSkippable(frame))
            return false;
        m_next += lines;
        written += frame.size();
    }
    if (m_next < to)
        return true; // the rest in the next pass, after every other viewer's turn
    if (m_streamEnded)
        containerDone();
    return false;
}

bool WsLogSession::sendGap(qint64 missed)
{
    WsStats *stats = m_connection->stats();
    if (m_connection->isV1()) {
        // The original's viewers would print a gap message as a log line: logged and counted.
        ++stats->v1GapsWithheld;
        stats->v1GapLines += quint64(missed);
        qCInfo(lcServer).noquote() << "v1 log viewer of" << m_query.namespaceName << m_podName
                                   << "missed" << missed << "lines";
        return true;
    }
    if (!m_connection->send(WsJson::gap(missed)))
        return false;
    ++stats->gapsSent;
    return true;
}

void WsLogSession::logFrame(qint64 seq, int lines, const QString &frame)
{
    if (m_next < seq) {
        // Behind the live frames: the lines stay in the ring and go out in this viewer's
        // turns, so catching up never takes a pass from the viewers that are up to date.
        m_streams->turns()->request(this);
        return;
    }
    if (m_next == seq && m_connection->sendSkippable(frame))
        m_next = seq + lines;
}

void WsLogSession::onDrained()
{
    if (m_stream)
        m_streams->turns()->request(this);
}

void WsLogSession::logState(const QString &state, const QString &detail)
{
    sendState(state, detail);
}

void WsLogSession::logEnded(const QString &detail, bool podGone)
{
    m_streamEnded = true;
    m_endDetail = detail;
    m_skipRest = m_skipRest || podGone;
    if (m_stream && m_next >= m_stream->flushedSeq())
        QMetaObject::invokeMethod(this, &WsLogSession::containerDone, Qt::QueuedConnection);
    else if (m_stream)
        m_streams->turns()->request(this); // the rest from the ring; the last turn ends it
}

void WsLogSession::containerDone()
{
    if (!m_streamEnded || m_done)
        return;
    detach();
    m_streamEnded = false;
    nextContainer();
}

void WsLogSession::nextContainer()
{
    if (!m_skipRest && ++m_index < m_containers.size()) {
        tryAttach();
        return;
    }
    podDone();
}

void WsLogSession::podDone()
{
    if (m_query.job.isEmpty()) {
        finish(m_endDetail);
        return;
    }
    checkJobFinished();
}

void WsLogSession::checkJobFinished()
{
    // The job decides whether another pod comes: finished (Complete or Failed) ends the
    // stream; otherwise its next pod is awaited.
    KubeCall *call = m_catalog->client()->getJob(m_query.namespaceName, m_query.job);
    connect(call, &KubeCall::finished, this, [this](KubeCall *c) {
        if (c->error().isNotFound()) {
            finish(QStringLiteral("job %1 was deleted").arg(m_query.job));
            return;
        }
        const QString finished = WsLogEnd::jobFinished(c->object());
        if (!finished.isEmpty()) {
            finish(QStringLiteral("job %1 finished (%2); %3").arg(m_query.job, finished, m_endDetail));
            return;
        }
        waitForJobPod(QStringLiteral("pod %1 ended (%2); waiting for the next pod of job %3")
                          .arg(m_podName, m_endDetail, m_query.job));
        lookForJobPod();
    });
}

void WsLogSession::sendState(const QString &state, const QString &detail)
{
    if (m_connection->isV1())
        return; // only log and error messages in v1 (docs/api.md)
    const QString streamId = m_stream ? m_stream->id() : QString();
    if (state == m_lastState && detail == m_lastDetail && streamId == m_lastStreamId)
        return;
    m_lastState = state;
    m_lastDetail = detail;
    m_lastStreamId = streamId;
    QJsonObject extra{{QStringLiteral("namespace"), m_query.namespaceName}};
    if (!m_podName.isEmpty())
        extra.insert(QStringLiteral("pod"), m_podName);
    if (m_stream) {
        extra.insert(QStringLiteral("container"), m_stream->container());
        // The id that goes back with resume= (docs/api.md): the seq numbers of the frames
        // that follow belong to this stream.
        extra.insert(QStringLiteral("stream"), streamId);
    } else if (!m_waitingForPod && m_index < m_containers.size()) {
        extra.insert(QStringLiteral("container"), m_containers[m_index]);
    }
    m_connection->send(WsJson::stream(state, detail, extra));
}

void WsLogSession::finish(const QString &detail)
{
    if (m_done)
        return;
    m_done = true;
    m_waitTimer.stop();
    m_lastState.clear();
    sendState(QStringLiteral("ended"), detail);
    WsLogEnd::close(m_connection, detail);
    detach();
}

void WsLogSession::fail(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_waitTimer.stop();
    WsLogEnd::fail(m_connection, error);
    detach();
}
