#include "joblogfollower.h"

#include "namespacepods.h"
#include "podcatalog.h"

#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubejob.h"
#include "kube/kubepod.h"

namespace pw::logs {

JobLogFollower::JobLogFollower(PodCatalog *catalog, const LogQuery &query,
                               const LogConfig &config, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_query(query)
    , m_config(config)
{
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, [this] {
        end(QStringLiteral("no pod of job %1 appeared within %2 s")
                .arg(m_query.job)
                .arg(m_config.jobWaitMs / 1000.0));
    });
}

JobLogFollower::~JobLogFollower()
{
    if (m_pods)
        m_catalog->release(m_pods);
}

QString JobLogFollower::container() const
{
    return m_containers.value(m_index);
}

void JobLogFollower::start()
{
    m_state = State::Listing;
    m_pods = m_catalog->acquire(m_query.namespaceName);
    connect(m_pods, &NamespacePods::podChanged, this, &JobLogFollower::onPodChanged);
    connect(m_pods, &NamespacePods::podDeleted, this, &JobLogFollower::onPodDeleted);
    if (!m_query.job.isEmpty())
        waitForJobPod(QStringLiteral("waiting for a pod of job %1").arg(m_query.job));
    if (m_pods->hasSynced())
        onListed();
    else
        connect(m_pods, &NamespacePods::synced, this, &JobLogFollower::onListed,
                Qt::SingleShotConnection);
}

void JobLogFollower::onListed()
{
    if (m_state == State::Ended)
        return;
    if (!m_query.job.isEmpty()) {
        lookForJobPod();
        return;
    }
    const kube::KubePod pod = m_pods->pod(m_query.pod);
    if (pod.isNull()) {
        fail(QStringLiteral("pod %1 not found in namespace %2").arg(m_query.pod, m_query.namespaceName));
        return;
    }
    const QStringList init = pod.containerNames(true);
    const QStringList main = pod.containerNames(false);
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

void JobLogFollower::waitForJobPod(const QString &detail)
{
    m_state = State::WaitingForPod;
    m_containers.clear();
    m_index = 0;
    Q_EMIT waiting(detail);
    m_waitTimer.start(m_config.jobWaitMs);
}

void JobLogFollower::lookForJobPod()
{
    const kube::KubePod pod = m_pods->newestPodOf(m_query.job, m_followedPods);
    if (pod.isNull())
        return;
    m_waitTimer.stop();
    QStringList containers{m_query.container};
    if (m_query.container.isEmpty())
        containers = pod.containerNames(true) + pod.containerNames(false);
    followPod(pod, containers);
}

void JobLogFollower::followPod(const kube::KubePod &pod, const QStringList &containers)
{
    m_podName = pod.name();
    m_followedPods.insert(m_podName);
    m_containers = containers;
    m_index = 0;
    if (m_containers.isEmpty()) {
        podDone();
        return;
    }
    tryContainer();
}

void JobLogFollower::onPodChanged(const kube::KubePod &pod)
{
    if (!m_pods->hasSynced())
        return;
    if (m_state == State::WaitingForPod)
        lookForJobPod();
    else if (m_state == State::WaitingForContainer && pod.name() == m_podName)
        tryContainer();
}

void JobLogFollower::onPodDeleted(const kube::KubePod &pod)
{
    if (m_state != State::WaitingForContainer || pod.name() != m_podName)
        return;
    m_endDetail = QStringLiteral("pod %1 was deleted").arg(m_podName);
    podDone();
}

void JobLogFollower::tryContainer()
{
    // A container's log is asked for once it has started (the pod watch says when), so no
    // request is made for a container that is still being created.
    const QString container = m_containers.value(m_index);
    const kube::KubePod pod = m_pods->pod(m_podName);
    if (pod.isNull()) {
        m_endDetail = QStringLiteral("pod %1 was deleted").arg(m_podName);
        podDone();
        return;
    }
    const kube::KubeContainer *c = pod.container(container);
    if (c && c->state != kube::KubeContainer::State::Waiting) {
        m_state = State::Following;
        Q_EMIT containerStarted(m_podName, container);
        return;
    }
    if (pod.hasFinished()) {
        m_endDetail = QStringLiteral("container %1 never started (pod %2 %3)")
                          .arg(container, m_podName, pod.phase());
        nextContainer();
        return;
    }
    m_state = State::WaitingForContainer;
    Q_EMIT waiting(QStringLiteral("container %1 of pod %2 is waiting to start: %3")
                       .arg(container, m_podName,
                            c && c->reported ? c->reason : QStringLiteral("ContainerCreating")));
}

void JobLogFollower::containerDone(const QString &detail, bool podGone)
{
    if (m_state != State::Following)
        return;
    m_endDetail = detail;
    if (podGone)
        podDone();
    else
        nextContainer();
}

void JobLogFollower::nextContainer()
{
    if (++m_index < m_containers.size()) {
        tryContainer();
        return;
    }
    podDone();
}

void JobLogFollower::podDone()
{
    if (m_query.job.isEmpty()) {
        end(m_endDetail);
        return;
    }
    checkJob();
}

void JobLogFollower::checkJob()
{
    // The job decides whether another pod comes: finished (Complete or Failed) ends the
    // stream; otherwise its next pod is awaited.
    m_state = State::CheckingJob;
    kube::KubeCall *call = m_catalog->client()->getJob(m_query.namespaceName, m_query.job);
    connect(call, &kube::KubeCall::finished, this, [this](kube::KubeCall *c) {
        if (m_state != State::CheckingJob)
            return;
        if (c->error().isNotFound()) {
            end(QStringLiteral("job %1 was deleted").arg(m_query.job));
            return;
        }
        const QString finished = kube::KubeJob(c->object()).finishedCondition();
        if (!finished.isEmpty()) {
            end(QStringLiteral("job %1 finished (%2); %3").arg(m_query.job, finished, m_endDetail));
            return;
        }
        waitForJobPod(QStringLiteral("pod %1 ended (%2); waiting for the next pod of job %3")
                          .arg(m_podName, m_endDetail, m_query.job));
        lookForJobPod();
    });
}

bool JobLogFollower::settle()
{
    if (m_state == State::Ended)
        return false;
    m_state = State::Ended;
    m_waitTimer.stop();
    return true;
}

void JobLogFollower::end(const QString &detail)
{
    if (settle())
        Q_EMIT finished(detail);
}

void JobLogFollower::fail(const QString &error)
{
    if (settle())
        Q_EMIT failed(error);
}

} // namespace pw::logs
