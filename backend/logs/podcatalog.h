#pragma once

#include "logconfig.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <vector>

class QTimer;
namespace pw::kube { class KubeClient; }

namespace pw::logs {

class NamespacePods;

// What a log viewer chooses from (docs/architecture.md §3 /namespaces and /pods, §4 /ws/catalog
// and log viewers with job=): the cluster's namespaces, listed on demand (one request in
// flight answers every caller), and list + watch caches of pods (and, once asked, Jobs), one
// per namespace in use: started on first use, shared by every user of the namespace, dropped
// catalogIdleMs after the last user let go.
class PodCatalog : public QObject
{
    Q_OBJECT
public:
    PodCatalog(kube::KubeClient *client, const LogConfig &config, QObject *parent = nullptr);

    kube::KubeClient *client() const { return m_client; }
    // The namespace's cache, started if needed; every acquire is matched by a release.
    NamespacePods *acquire(const QString &ns);
    void release(NamespacePods *pods);
    int namespaceCount() const { return int(m_namespaces.size()); }

    // The cluster's namespaces, sorted by name, or an error saying why they could not be
    // listed. `done` is called once, later, unless `receiver` is gone by then.
    using NamespacesDone = std::function<void(const QList<QJsonObject> &, const QString &error)>;
    void listNamespaces(QObject *receiver, NamespacesDone done);

private:
    struct Entry
    {
        NamespacePods *pods = nullptr;
        QTimer *idle = nullptr; // runs while nobody uses the namespace
        int users = 0;
    };
    void dropIfIdle(const QString &ns);
    void namespacesListed(const QList<QJsonObject> &items, const QString &error);

    kube::KubeClient *m_client;
    LogConfig m_config;
    QHash<QString, Entry> m_namespaces;
    struct Waiting
    {
        QPointer<QObject> receiver;
        NamespacesDone done;
    };
    std::vector<Waiting> m_namespaceWaiters; // while a namespace list is in flight
};

} // namespace pw::logs
