#pragma once

#include "kube/kubepod.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

class KubeClient;
class KubeInformer;

// The pods of one namespace, kept by list + watch (no request per question) and parsed once
// as they arrive: used by GET /pods, /ws/catalog and by log viewers waiting for a job's pod.
// Shared and reference-counted by PodCatalog.
class NamespacePods : public QObject
{
    Q_OBJECT
public:
    NamespacePods(KubeClient *client, const QString &ns, QObject *parent = nullptr);

    QString namespaceName() const { return m_ns; }
    bool hasSynced() const { return m_synced; }
    // The pod of that name, or a null one.
    KubePod pod(const QString &name) const { return m_pods.value(name); }
    QList<KubePod> pods() const { return m_pods.values(); }
    // The namespace's Jobs (list + watch), started on first use and shared by every user of
    // this namespace (/ws/catalog), dropped with it.
    KubeInformer *jobs();
    // The newest pod owned by `job` whose name is not in `skip` (pods already followed), or a
    // null pod.
    KubePod newestPodOf(const QString &job, const QSet<QString> &skip = {}) const;
    static KubePod newestPodOf(const QList<KubePod> &pods, const QString &job,
                               const QSet<QString> &skip);

    // The GET /pods shape: name, namespace, phase, job, node, created_at,
    // init_containers and containers [{name,state,reason,ready,restart_count}].
    static QJsonObject summary(const KubePod &pod);

Q_SIGNALS:
    void synced();
    void podChanged(const KubePod &pod);
    void podDeleted(const KubePod &pod);

private:
    QString m_ns;
    KubeClient *m_client;
    KubeInformer *m_informer;
    KubeInformer *m_jobs = nullptr;
    QHash<QString, KubePod> m_pods; // by name
    bool m_synced = false;
};
