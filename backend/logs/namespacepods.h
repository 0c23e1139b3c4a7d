#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

class KubeClient;
class KubeInformer;

// The pods of one namespace, kept by list + watch (no request per question): used by
// GET /pods, /ws/catalog and by log viewers waiting for a job's pod. Shared and
// reference-counted by PodCatalog.
class NamespacePods : public QObject
{
    Q_OBJECT
public:
    NamespacePods(KubeClient *client, const QString &ns, QObject *parent = nullptr);

    QString namespaceName() const { return m_ns; }
    bool hasSynced() const { return m_synced; }
    QJsonObject pod(const QString &name) const { return m_pods.value(name); }
    QList<QJsonObject> pods() const { return m_pods.values(); }
    // The namespace's Jobs (list + watch), started on first use and shared by every user of
    // this namespace (/ws/catalog), dropped with it.
    KubeInformer *jobs();
    // The newest pod owned by `job` whose name is not in `skip` (pods already followed), or an
    // empty object.
    QJsonObject newestPodOf(const QString &job, const QSet<QString> &skip = {}) const;
    static QJsonObject newestPodOf(const QList<QJsonObject> &pods, const QString &job,
                                   const QSet<QString> &skip);

    // Reading pod objects.
    static QString jobOf(const QJsonObject &pod);
    static QString phaseOf(const QJsonObject &pod);
    static QStringList containerNames(const QJsonObject &pod, bool init);
    // The state of a container: running, terminated or waiting (with its reason).
    static QString containerState(const QJsonObject &pod, const QString &container,
                                  QString *reason = nullptr);
    // The GET /pods shape: name, namespace, phase, job, node, created_at,
    // init_containers and containers [{name,state,reason,ready,restart_count}].
    static QJsonObject summary(const QJsonObject &pod);

Q_SIGNALS:
    void synced();
    void podChanged(const QJsonObject &pod);
    void podDeleted(const QJsonObject &pod);

private:
    QString m_ns;
    KubeClient *m_client;
    KubeInformer *m_informer;
    KubeInformer *m_jobs = nullptr;
    QHash<QString, QJsonObject> m_pods; // by name
    bool m_synced = false;
};
