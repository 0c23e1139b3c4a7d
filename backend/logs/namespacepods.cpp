#include "namespacepods.h"

#include "kube/kubeinformer.h"

#include <QJsonArray>

NamespacePods::NamespacePods(KubeClient *client, const QString &ns, QObject *parent)
    : QObject(parent)
    , m_ns(ns)
    , m_client(client)
    , m_informer(new KubeInformer(client, KubeInformer::Resource::Pods, ns, QString(), this))
{
    const auto put = [this](const QJsonObject &object) {
        const KubePod pod(object);
        m_pods.insert(pod.name(), pod);
        Q_EMIT podChanged(pod);
    };
    connect(m_informer, &KubeInformer::added, this, put);
    connect(m_informer, &KubeInformer::modified, this, put);
    connect(m_informer, &KubeInformer::deleted, this, [this](const QJsonObject &object) {
        const KubePod pod(object);
        m_pods.remove(pod.name());
        Q_EMIT podDeleted(pod);
    });
    connect(m_informer, &KubeInformer::synced, this, [this] {
        m_synced = true;
        Q_EMIT synced();
    });
    m_informer->start();
}

KubeInformer *NamespacePods::jobs()
{
    if (!m_jobs) {
        m_jobs = new KubeInformer(m_client, KubeInformer::Resource::Jobs, m_ns, QString(), this);
        m_jobs->start();
    }
    return m_jobs;
}

KubePod NamespacePods::newestPodOf(const QString &job, const QSet<QString> &skip) const
{
    return newestPodOf(m_pods.values(), job, skip);
}

KubePod NamespacePods::newestPodOf(const QList<KubePod> &pods, const QString &job,
                                   const QSet<QString> &skip)
{
    // A job's next pod is told from the ones followed by name, not by time: pods created in
    // the same second have the same creationTimestamp, and the random names of generateName
    // do not sort by age.
    KubePod newest;
    QString newestTime;
    for (const KubePod &pod : pods) {
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

QJsonObject NamespacePods::summary(const KubePod &pod)
{
    QJsonArray init;
    QJsonArray main;
    for (const KubeContainer &container : pod.containers()) {
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
