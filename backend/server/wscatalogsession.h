#pragma once

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace pw::kube { class KubeInformer; }
namespace pw::kube { class KubeJob; }
namespace pw::kube { class KubePod; }
namespace pw::logs { class NamespacePods; }
namespace pw::logs { class PodCatalog; }

namespace pw::server {

class WsConnection;

// One /ws/catalog?namespace=NS client (docs/api.md, docs/architecture.md §4; v2 only): what a
// log viewer chooses from, pushed as it changes so that lists never need refreshing. A
// snapshot of the namespace's pods and Jobs once both are listed, then each change; the
// cluster's namespaces when they change (listed every kNamespacesPollMs). Pods come from the
// shared pod catalogue (NamespacePods), Jobs from its shared Jobs watch.
class WsCatalogSession : public QObject
{
    Q_OBJECT
public:
    static constexpr int kNamespacesPollMs = 5000;
    // Pods and Jobs in the snapshot message; a larger namespace's others follow as upserts.
    static constexpr int kSnapshotPods = 1000;
    static constexpr int kSnapshotJobs = 1000;
    static constexpr int kPodItemBytes = 2048; // what a pod takes in a message, generously
    static constexpr int kJobItemBytes = 512;  // and a Job
    static constexpr int kPumpRetryMs = 10;

    WsCatalogSession(WsConnection *connection, QString ns, logs::PodCatalog *catalog,
                     QObject *parent = nullptr);
    ~WsCatalogSession() override;

    void start();

    // The shapes sent (also read by tests): a pod is GET /pods' summary with `images`,
    // `labels` and `restarts` (all containers); a Job has name, image (the pulled image of a pull Job,
    // else its first container's), status (Running|Complete|Failed), active, succeeded,
    // failed, created_at.
    static QJsonObject podItem(const kube::KubePod &pod);
    static QJsonObject jobItem(const kube::KubeJob &job);

private:
    void sendSnapshot();
    void sendChange(const char *type, const char *action, const QJsonObject &item);
    void pumpRest();
    void pollNamespaces();

    WsConnection *m_connection;
    QString m_ns;
    logs::PodCatalog *m_catalog;
    logs::NamespacePods *m_pods = nullptr;
    kube::KubeInformer *m_jobs = nullptr;
    bool m_snapshotSent = false;
    // What did not fit in the snapshot, in the order it is sent: pods (by name), then Jobs (by
    // uid, as the Jobs watch keeps them), each name-sorted.
    struct Later {
        bool job;
        QString key;
    };
    QList<Later> m_later;
    qsizetype m_laterCursor = 0; // the next of m_later to send
    QSet<QString> m_podsToSend;  // those of m_later not told yet (a change or a delete tells them)
    QSet<QString> m_jobsToSend;
    int m_pumpDelayMs = kPumpRetryMs;
    QStringList m_namespaces;
    QTimer m_namespacePoll;
    bool m_polling = false;
};

} // namespace pw::server
