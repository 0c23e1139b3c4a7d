#include "wsmergedlogsession.h"

#include "wsconnection.h"
#include "wsjson.h"
#include "wslogend.h"
#include "wslogsource.h"

#include "core/logframe.h"
#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubejob.h"
#include "kube/kubepod.h"
#include "logs/namespacepods.h"
#include "logs/podcatalog.h"

namespace pw::server {

namespace {

// The job's Complete/Failed condition may come after its last pod's last change.
constexpr int kJobCheckMs = 2000;

QString sourceKey(const QString &pod, const QString &container)
{
    return pod + u'/' + container;
}

} // namespace

WsMergedLogSession::WsMergedLogSession(WsConnection *connection, logs::LogQuery query,
                                       logs::LogFanouts *streams, logs::PodCatalog *catalog,
                                       const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_query(std::move(query))
    , m_streams(streams)
    , m_catalog(catalog)
    , m_config(config)
{
    m_connection->setParent(this);
    connect(m_connection, &WsConnection::closed, this, &QObject::deleteLater);
    connect(m_connection, &WsConnection::drained, this, &WsMergedLogSession::onDrained);
    connect(m_connection, &WsConnection::messageReceived, this, [this] {
        m_connection->reject(QStringLiteral("this endpoint takes no messages"));
    });
    if (!m_query.selector.isEmpty()) {
        QString error;
        m_selector.parseLabels(m_query.selector, &error); // validated by LogQuery::parse
    }
    m_jobCheck.setSingleShot(true);
    m_jobCheck.setInterval(kJobCheckMs);
    connect(&m_jobCheck, &QTimer::timeout, this, &WsMergedLogSession::checkFinished);
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] {
        if (m_followed.isEmpty())
            finish(QStringLiteral("no pod of job %1 appeared within %2 s")
                       .arg(m_query.job)
                       .arg(m_config.jobWaitMs / 1000.0));
    });
}

WsMergedLogSession::~WsMergedLogSession()
{
    qDeleteAll(m_sources); // leave their streams before the catalogue is released
    m_sources.clear();
    if (m_pods)
        m_catalog->release(m_pods);
}

void WsMergedLogSession::start()
{
    m_query.fixSince(QDateTime::currentDateTimeUtc());
    m_pods = m_catalog->acquire(m_query.namespaceName);
    connect(m_pods, &logs::NamespacePods::podChanged, this, [this] {
        if (m_synced)
            scan();
    });
    connect(m_pods, &logs::NamespacePods::podDeleted, this, &WsMergedLogSession::onPodDeleted);
    if (!m_query.job.isEmpty()) {
        sendState(QStringLiteral("waiting"),
                  QStringLiteral("waiting for a pod of job %1").arg(m_query.job));
        m_waitTimer.start(m_config.jobWaitMs);
    }
    const auto ready = [this] {
        m_synced = true;
        if (!m_query.pod.isEmpty() && m_pods->pod(m_query.pod).isNull()) {
            fail(QStringLiteral("pod %1 not found in namespace %2")
                     .arg(m_query.pod, m_query.namespaceName));
            return;
        }
        int matching = 0;
        for (const kube::KubePod &pod : m_pods->pods())
            matching += matches(pod) ? 1 : 0;
        if (matching > m_query.maxPods) {
            fail(QStringLiteral("%1 pods match; max_pods is %2 (at most %3): raise it or narrow "
                                "the selection")
                     .arg(matching)
                     .arg(m_query.maxPods)
                     .arg(logs::LogQuery::kMaxMaxPods));
            return;
        }
        if (!m_query.selector.isEmpty())
            sendState(matching == 0 ? QStringLiteral("waiting") : QStringLiteral("streaming"),
                      (matching == 1 ? QStringLiteral("%1 pod matches %2 in namespace %3")
                                     : QStringLiteral("%1 pods match %2 in namespace %3"))
                          .arg(matching)
                          .arg(m_query.selector, m_query.namespaceName));
        scan();
    };
    if (m_pods->hasSynced())
        ready();
    else
        connect(m_pods, &logs::NamespacePods::synced, this, ready, Qt::SingleShotConnection);
}

bool WsMergedLogSession::matches(const kube::KubePod &pod) const
{
    if (!m_query.pod.isEmpty())
        return pod.name() == m_query.pod;
    if (!m_query.job.isEmpty())
        return pod.jobName() == m_query.job;
    return m_selector.matches(pod.object());
}

void WsMergedLogSession::scan()
{
    if (m_done)
        return;
    for (const kube::KubePod &pod : m_pods->pods()) {
        if (!matches(pod))
            continue;
        const QString name = pod.name();
        if (!m_followed.contains(name)) {
            if (m_followed.size() >= m_query.maxPods) {
                if (!m_refused.contains(name)) {
                    m_refused.insert(name);
                    sendState(QStringLiteral("limited"),
                              QStringLiteral("pod %1 is not followed: max_pods=%2 pods are")
                                  .arg(name)
                                  .arg(m_query.maxPods),
                              name);
                }
                continue;
            }
            m_followed.insert(name);
            m_refused.remove(name);
        }
        followContainers(pod);
    }
    checkFinished();
}

void WsMergedLogSession::followContainers(const kube::KubePod &pod)
{
    const QString name = pod.name();
    QStringList containers = pod.containerNames(true) + pod.containerNames(false);
    if (!m_query.allContainers())
        containers = containers.contains(m_query.container) ? QStringList{m_query.container}
                                                            : QStringList{};
    for (const QString &container : std::as_const(containers)) {
        const QString key = sourceKey(name, container);
        if (m_sources.contains(key))
            continue;
        // previous=true reads each container's last terminated run once; otherwise each run
        // (restartCount) is followed once it has started.
        const kube::KubeContainer *c = pod.container(container);
        const QString run = m_query.previous
            ? key
            : key + u'/' + QString::number(c ? c->restarts : 0);
        if (m_runsStarted.contains(run) || !c || c->state == kube::KubeContainer::State::Waiting)
            continue;
        m_runsStarted.insert(run);
        startSource(name, container, !m_containersSeen.contains(key));
        m_containersSeen.insert(key);
    }
}

void WsMergedLogSession::startSource(const QString &pod, const QString &container, bool first)
{
    auto *source = new WsLogSource(m_connection, m_streams, m_query.namespaceName, pod,
                                   container, WsLogSource::Naming::PodAndContainer, this);
    m_sources.insert(sourceKey(pod, container), source);
    connect(source, &WsLogSource::stateChanged, this, &WsMergedLogSession::onSourceState);
    connect(source, &WsLogSource::done, this, &WsMergedLogSession::onSourceDone,
            Qt::QueuedConnection);
    // resume= applies to the first run followed of each source named in it.
    const logs::LogQuery::SourceResume resume =
        first ? m_query.sourceResumes.value(sourceKey(pod,
                                                      container)) : logs::LogQuery::SourceResume{};
    const bool resuming = first && m_query.sourceResumes.contains(sourceKey(pod, container));
    source->start(m_query.streamOptions(first && !resuming), m_query.timestamps, resume.stream,
                  resuming ? resume.seq : -1);
    sendState(QStringLiteral("streaming"),
              QStringLiteral("following %1/%2").arg(pod, container), pod, container,
              source->streamId());
    source->catchUp();
}

void WsMergedLogSession::onSourceState(WsLogSource *source, const QString &state,
                                       const QString &detail)
{
    sendState(state, detail, source->pod(), source->container(), source->streamId());
}

void WsMergedLogSession::onSourceDone(WsLogSource *source)
{
    sendState(QStringLiteral("ended"), source->endDetail(), source->pod(), source->container(),
              source->streamId());
    m_sources.remove(sourceKey(source->pod(), source->container()));
    source->deleteLater();
    if (m_synced)
        scan(); // the container may have restarted meanwhile
}

void WsMergedLogSession::onPodDeleted(const kube::KubePod &pod)
{
    const QString name = pod.name();
    m_refused.remove(name);
    if (!m_followed.remove(name) || m_done)
        return;
    sendState(QStringLiteral("ended"), QStringLiteral("pod %1 was deleted").arg(name), name);
    if (m_synced)
        scan(); // a pod over max_pods may be followed now
}

void WsMergedLogSession::onDrained()
{
    const QList<WsLogSource *> sources = m_sources.values();
    for (WsLogSource *s : sources)
        s->catchUp();
}

void WsMergedLogSession::checkFinished()
{
    // A selector follows pods as they come and go until the client leaves; a pod or a job
    // ends the session when nothing more can come.
    if (m_done || !m_sources.isEmpty() || !m_query.selector.isEmpty() || m_checking)
        return;
    if (!m_query.pod.isEmpty()) {
        const kube::KubePod pod = m_pods->pod(m_query.pod);
        if (pod.isNull())
            finish(QStringLiteral("pod %1 was deleted").arg(m_query.pod));
        else if (m_query.previous || pod.hasFinished())
            finish(QStringLiteral("pod %1: every container's log was read (%2)")
                       .arg(m_query.pod, pod.phase()));
        return;
    }
    if (m_followed.isEmpty() && !m_query.previous)
        return; // still waiting for the job's first pod
    m_checking = true;
    kube::KubeCall *call = m_catalog->client()->getJob(m_query.namespaceName, m_query.job);
    connect(call, &kube::KubeCall::finished, this, [this](kube::KubeCall *c) {
        m_checking = false;
        if (c->error().isNotFound()) {
            finish(QStringLiteral("job %1 was deleted").arg(m_query.job));
            return;
        }
        if (m_query.previous && m_sources.isEmpty()) {
            finish(QStringLiteral("job %1: every previous log was read").arg(m_query.job));
            return;
        }
        const QString finished = kube::KubeJob(c->object()).finishedCondition();
        if (!finished.isEmpty() && m_sources.isEmpty()) {
            finish(QStringLiteral("job %1 finished (%2)").arg(m_query.job, finished));
            return;
        }
        if (m_sources.isEmpty())
            m_jobCheck.start();
    });
}

void WsMergedLogSession::sendState(const QString &state, const QString &detail,
                                   const QString &pod, const QString &container,
                                   const QString &streamId)
{
    if (m_connection->isV1())
        return; // only log and error messages in v1 (docs/api.md)
    m_connection->send(core::LogFrameWriter::stream(
        state, detail, {m_query.namespaceName, pod, container, streamId}));
}

void WsMergedLogSession::finish(const QString &detail)
{
    if (m_done)
        return;
    m_done = true;
    m_waitTimer.stop();
    m_jobCheck.stop();
    sendState(QStringLiteral("ended"), detail);
    WsLogEnd::close(m_connection, detail);
}

void WsMergedLogSession::fail(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_waitTimer.stop();
    m_jobCheck.stop();
    WsLogEnd::fail(m_connection, error);
}

} // namespace pw::server
