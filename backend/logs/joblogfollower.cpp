#include "joblogfollower.h"

#include "namespacepods.h"
#include "podcatalog.h"

#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeobject.h"

#include <QJsonArray>

namespace {

// "Complete" or "Failed" when the Job has that condition True, else empty.
QString jobFinished(const QJsonObject &job)
{
    const QJsonArray conditions =
        job[QLatin1String("status")][QLatin1String("conditions")].toArray();
    for (const QJsonValue &cond : conditions) {
        const QString type = cond[QLatin1String("type")].toString();
        if ((type == QLatin1String("Complete") || type == QLatin1String("Failed"))
            && cond[QLatin1String("status")].toString() == QLatin1String("True"))
            return type;
    }
    return {};
}

} // namespace

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
    const QJsonObject pod = m_pods->pod(m_query.pod);
    if (pod.isEmpty()) {
        fail(QStringLiteral("pod %1 not found in namespace %2").arg(m_query.pod, m_query.namespaceName));
        return;
    }
    const QStringList init = NamespacePods::containerNames(pod, true);
    const QStringList main = NamespacePods::containerNames(pod, false);
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
    const QJsonObject pod = m_pods->newestPodOf(m_query.job, m_followedPods);
    if (pod.isEmpty())
        return;
    m_waitTimer.stop();
    QStringList containers{m_query.container};
    if (m_query.container.isEmpty())
        containers = NamespacePods::containerNames(pod, true)
            + NamespacePods::containerNames(pod, false);
    followPod(pod, containers);
}

void JobLogFollower::followPod(const QJsonObject &pod, const QStringList &containers)
{
    m_podName = KubeObject::name(pod);
    m_followedPods.insert(m_podName);
    m_containers = containers;
    m_index = 0;
    if (m_containers.isEmpty()) {
        podDone();
        return;
    }
    tryContainer();
}

void JobLogFollower::onPodChanged(const QJsonObject &pod)
{
    if (!m_pods->hasSynced())
        return;
    if (m_state == State::WaitingForPod)
        lookForJobPod();
    else if (m_state == State::WaitingForContainer && KubeObject::name(pod) == m_podName)
        tryContainer();
}

void JobLogFollower::onPodDeleted(const QJsonObject &pod)
{
    if (m_state != State::WaitingForContainer || KubeObject::name(pod) != m_podName)
        return;
    m_endDetail = QStringLiteral("pod %1 was deleted").arg(m_podName);
    podDone();
}

void JobLogFollower::tryContainer()
{
    // A container's log is asked for once it has started (the pod watch says when), so no
    // request is made for a container that is still being created.
    const QString container = m_containers.value(m_index);
    const QJsonObject pod = m_pods->pod(m_podName);
    if (pod.isEmpty()) {
        m_endDetail = QStringLiteral("pod %1 was deleted").arg(m_podName);
        podDone();
        return;
    }
    QString reason;
    const QString state = NamespacePods::containerState(pod, container, &reason);
    if (state != QLatin1String("waiting")) {
        m_state = State::Following;
        Q_EMIT containerStarted(m_podName, container);
        return;
    }
    const QString phase = NamespacePods::phaseOf(pod);
    if (phase == QLatin1String("Failed") || phase == QLatin1String("Succeeded")) {
        m_endDetail = QStringLiteral("container %1 never started (pod %2 %3)")
                          .arg(container, m_podName, phase);
        nextContainer();
        return;
    }
    m_state = State::WaitingForContainer;
    Q_EMIT waiting(QStringLiteral("container %1 of pod %2 is waiting to start: %3")
                       .arg(container, m_podName, reason));
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
    KubeCall *call = m_catalog->client()->getJob(m_query.namespaceName, m_query.job);
    connect(call, &KubeCall::finished, this, [this](KubeCall *c) {
        if (m_state != State::CheckingJob)
            return;
        if (c->error().isNotFound()) {
            end(QStringLiteral("job %1 was deleted").arg(m_query.job));
            return;
        }
        const QString finished = jobFinished(c->object());
        if (!finished.isEmpty()) {
            end(QStringLiteral("job %1 finished (%2); %3").arg(m_query.job, finished, m_endDetail));
            return;
        }
        waitForJobPod(QStringLiteral("pod %1 ended (%2); waiting for the next pod of job %3")
                          .arg(m_podName, m_endDetail, m_query.job));
        lookForJobPod();
    });
}

void JobLogFollower::end(const QString &detail)
{
    if (m_state == State::Ended)
        return;
    m_state = State::Ended;
    m_waitTimer.stop();
    Q_EMIT finished(detail);
}

void JobLogFollower::fail(const QString &error)
{
    if (m_state == State::Ended)
        return;
    m_state = State::Ended;
    m_waitTimer.stop();
    Q_EMIT failed(error);
}
