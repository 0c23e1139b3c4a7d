#include "namespacepods.h"

#include "kube/kubeinformer.h"
#include "kube/kubeobject.h"

#include <QJsonArray>

NamespacePods::NamespacePods(KubeClient *client, const QString &ns, QObject *parent)
    : QObject(parent)
    , m_ns(ns)
    , m_client(client)
    , m_informer(new KubeInformer(client, KubeInformer::Resource::Pods, ns, QString(), this))
{
    const auto put = [this](const QJsonObject &pod) {
        m_pods.insert(KubeObject::name(pod), pod);
        Q_EMIT podChanged(pod);
    };
    connect(m_informer, &KubeInformer::added, this, put);
    connect(m_informer, &KubeInformer::modified, this, put);
    connect(m_informer, &KubeInformer::deleted, this, [this](const QJsonObject &pod) {
        m_pods.remove(KubeObject::name(pod));
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

QString NamespacePods::jobOf(const QJsonObject &pod)
{
    const QJsonObject meta = KubeObject::metadata(pod);
    for (const QJsonValue &ref : meta.value(QLatin1String("ownerReferences")).toArray())
        if (ref[QLatin1String("kind")].toString() == QLatin1String("Job"))
            return ref[QLatin1String("name")].toString();
    const QJsonObject labels = meta.value(QLatin1String("labels")).toObject();
    const QString job = labels.value(QLatin1String("batch.kubernetes.io/job-name")).toString();
    return job.isEmpty() ? labels.value(QLatin1String("job-name")).toString() : job;
}

QString NamespacePods::phaseOf(const QJsonObject &pod)
{
    return pod[QLatin1String("status")][QLatin1String("phase")].toString();
}

QStringList NamespacePods::containerNames(const QJsonObject &pod, bool init)
{
    QStringList names;
    const QJsonArray list =
        pod[QLatin1String("spec")][QLatin1String(init ? "initContainers" : "containers")].toArray();
    for (const QJsonValue &c : list)
        names.append(c[QLatin1String("name")].toString());
    return names;
}

QString NamespacePods::containerState(const QJsonObject &pod, const QString &container,
                                        QString *reason)
{
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    for (const char *list : {"initContainerStatuses", "containerStatuses"}) {
        for (const QJsonValue &s : status.value(QLatin1String(list)).toArray()) {
            if (s[QLatin1String("name")].toString() != container)
                continue;
            const QJsonObject state = s[QLatin1String("state")].toObject();
            for (const char *key : {"running", "terminated", "waiting"}) {
                if (state.contains(QLatin1String(key))) {
                    if (reason)
                        *reason = state[QLatin1String(key)][QLatin1String("reason")].toString();
                    return QLatin1String(key);
                }
            }
        }
    }
    if (reason)
        *reason = QStringLiteral("ContainerCreating");
    return QStringLiteral("waiting");
}

QJsonObject NamespacePods::newestPodOf(const QString &job, const QSet<QString> &skip) const
{
    return newestPodOf(m_pods.values(), job, skip);
}

QJsonObject NamespacePods::newestPodOf(const QList<QJsonObject> &pods, const QString &job,
                                         const QSet<QString> &skip)
{
    // A job's next pod is told from the ones followed by name, not by time: pods created in
    // the same second have the same creationTimestamp, and the random names of generateName
    // do not sort by age.
    QJsonObject newest;
    QString newestTime;
    for (const QJsonObject &pod : pods) {
        if (jobOf(pod) != job || skip.contains(KubeObject::name(pod)))
            continue;
        const QString created =
            KubeObject::metadata(pod).value(QLatin1String("creationTimestamp")).toString();
        // RFC 3339 in UTC sorts as text; the name makes the choice stable within one second.
        const QString order = created + KubeObject::name(pod);
        if (newest.isEmpty() || order > newestTime) {
            newest = pod;
            newestTime = order;
        }
    }
    return newest;
}

namespace {

QJsonArray containerStates(const QJsonObject &pod, bool init)
{
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &s :
         status.value(QLatin1String(init ? "initContainerStatuses" : "containerStatuses")).toArray())
        byName.insert(s[QLatin1String("name")].toString(), s.toObject());
    QJsonArray out;
    for (const QString &name : NamespacePods::containerNames(pod, init)) {
        const QJsonObject s = byName.value(name);
        const QJsonObject state = s.value(QLatin1String("state")).toObject();
        QString stateName = QStringLiteral("waiting");
        QString reason;
        for (const char *key : {"running", "terminated", "waiting"}) {
            if (state.contains(QLatin1String(key))) {
                stateName = QLatin1String(key);
                reason = state[QLatin1String(key)][QLatin1String("reason")].toString();
                break;
            }
        }
        QJsonObject c{{QStringLiteral("name"), name},
                      {QStringLiteral("init"), init},
                      {QStringLiteral("state"), stateName},
                      {QStringLiteral("ready"), s.value(QLatin1String("ready")).toBool()},
                      {QStringLiteral("restart_count"), s.value(QLatin1String("restartCount")).toInt()}};
        if (!reason.isEmpty())
            c.insert(QStringLiteral("reason"), reason);
        out.append(c);
    }
    return out;
}

} // namespace

QJsonObject NamespacePods::summary(const QJsonObject &pod)
{
    const QJsonObject meta = KubeObject::metadata(pod);
    QJsonObject o{{QStringLiteral("name"), meta.value(QLatin1String("name"))},
                  {QStringLiteral("namespace"), meta.value(QLatin1String("namespace"))},
                  {QStringLiteral("phase"), phaseOf(pod)},
                  {QStringLiteral("job"), jobOf(pod)},
                  {QStringLiteral("created_at"), meta.value(QLatin1String("creationTimestamp"))},
                  {QStringLiteral("init_containers"), containerStates(pod, true)},
                  {QStringLiteral("containers"), containerStates(pod, false)}};
    const QString node = pod[QLatin1String("spec")][QLatin1String("nodeName")].toString();
    if (!node.isEmpty())
        o.insert(QStringLiteral("node"), node);
    return o;
}
