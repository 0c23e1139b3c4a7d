#include "namespacepods.h"

#include "kube/kubeinformer.h"

#include <QJsonArray>

namespace pw::logs {

NamespacePods::NamespacePods(kube::KubeClient *client, const QString &ns, QObject *parent)
    : QObject(parent)
    , m_ns(ns)
    , m_client(client)
    , m_informer(new kube::KubeInformer(client, kube::KubeInformer::Resource::Pods, ns, QString(),
                                        this))
{
    const auto put = [this](const QJsonObject &object) {
        const kube::KubePod pod(object);
        m_pods.insert(pod.name(), pod);
        Q_EMIT podChanged(pod);
    };
    connect(m_informer, &kube::KubeInformer::added, this, put);
    connect(m_informer, &kube::KubeInformer::modified, this, put);
    connect(m_informer, &kube::KubeInformer::deleted, this, [this](const QJsonObject &object) {
        const kube::KubePod pod(object);
        m_pods.remove(pod.name());
        Q_EMIT podDeleted(pod);
    });
    connect(m_informer, &kube::KubeInformer::synced, this, [this] {
        m_synced = true;
        Q_EMIT synced();
    });
    m_informer->start();
}

kube::KubeInformer *NamespacePods::jobs()
{
    if (!m_jobs) {
        m_jobs = new kube::KubeInformer(m_client, kube::KubeInformer::Resource::Jobs, m_ns,
                                        QString(), this);
        m_jobs->start();
    }
    return m_jobs;
}

kube::KubePod NamespacePods::newestPodOf(const QString &job, const QSet<QString> &skip) const
{
    return newestPodOf(m_pods.values(), job, skip);
}

kube::KubePod NamespacePods::newestPodOf(const QList<kube::KubePod> &pods, const QString &job,
                                   const QSet<QString> &skip)
{
    // A job's next pod is told from the ones followed by name, not by time: pods created in
    // the same second have the same creationTimestamp, and the random names of generateName
    // do not sort by age.
    kube::KubePod newest;
    QString newestTime;
    for (const kube::KubePod &pod : pods) {
        if (pod.jobName() != job || skip.contains(pod.name()))
            continue;
        // RFC 3339 in UTC sorts as text; the name makes the choice stable within one second.
        const QString order = pod.createdAt() + pod.name();
        if (newest.isNull() || order > newestTime) {
            newest = pod;
            newestTime = order;
        }
    }
    return newest;
}

QJsonObject NamespacePods::summary(const kube::KubePod &pod)
{
    QJsonArray init;
    QJsonArray main;
    for (const kube::KubeContainer &container : pod.containers()) {
        QJsonObject c{{QStringLiteral("name"), container.name},
                      {QStringLiteral("init"), container.init},
                      {QStringLiteral("state"), container.stateName()},
                      {QStringLiteral("ready"), container.ready},
                      {QStringLiteral("restart_count"), container.restarts}};
        if (!container.reason.isEmpty())
            c.insert(QStringLiteral("reason"), container.reason);
        (container.init ? init : main).append(c);
    }
    QJsonObject o{{QStringLiteral("name"), pod.name()},
                  {QStringLiteral("namespace"), pod.namespaceName()},
                  {QStringLiteral("phase"), pod.phase()},
                  {QStringLiteral("job"), pod.jobName()},
                  {QStringLiteral("init_containers"), init},
                  {QStringLiteral("containers"), main}};
    if (!pod.createdAt().isEmpty())
        o.insert(QStringLiteral("created_at"), pod.createdAt());
    if (!pod.nodeName().isEmpty())
        o.insert(QStringLiteral("node"), pod.nodeName());
    return o;
}

} // namespace pw::logs
