#pragma once

#include "kube/kubepod.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

namespace pw::kube { class KubeClient; }
namespace pw::kube { class KubeInformer; }

namespace pw::logs {

// The pods of one namespace, kept by list + watch (no request per question) and parsed once
// as they arrive: used by GET /pods, /ws/catalog and by log viewers waiting for a job's pod.
// Shared and reference-counted by PodCatalog.
class NamespacePods : public QObject
{
    Q_OBJECT
public:
    NamespacePods(kube::KubeClient *client, const QString &ns, QObject *parent = nullptr);

    QString namespaceName() const { return m_ns; }
    bool hasSynced() const { return m_synced; }
    // The pod of that name, or a null one.
    kube::KubePod pod(const QString &name) const { return m_pods.value(name); }
    QList<kube::KubePod> pods() const { return m_pods.values(); }
    // The namespace's Jobs (list + watch), started on first use and shared by every user of
    // this namespace (/ws/catalog), dropped with it.
    kube::KubeInformer *jobs();
    // The newest pod owned by `job` whose name is not in `skip` (pods already followed), or a
    // null pod.
    kube::KubePod newestPodOf(const QString &job, const QSet<QString> &skip = {}) const;
    static kube::KubePod newestPodOf(const QList<kube::KubePod> &pods, const QString &job,
                               const QSet<QString> &skip);

    // The GET /pods shape: name, namespace, phase, job, node, created_at,
    // init_containers and containers [{name,state,reason,ready,restart_count}].
    static QJsonObject summary(const kube::KubePod &pod);

Q_SIGNALS:
    void synced();
    void podChanged(const kube::KubePod &pod);
    void podDeleted(const kube::KubePod &pod);

private:
    QString m_ns;
    kube::KubeClient *m_client;
    kube::KubeInformer *m_informer;
    kube::KubeInformer *m_jobs = nullptr;
    QHash<QString, kube::KubePod> m_pods; // by name
    bool m_synced = false;
};

} // namespace pw::logs
