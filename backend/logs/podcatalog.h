#pragma once

#include "logconfig.h"

#include <QHash>
#include <QObject>

class KubeClient;
class NamespacePods;
class QTimer;

// List + watch caches of pods (and, once asked, Jobs), one per namespace in use: started on
// first use, shared by every user of the namespace, dropped catalogIdleMs after the last
// user let go (docs/architecture.md §3 /pods, §4 /ws/catalog and log viewers with job=).
class PodCatalog : public QObject
{
    Q_OBJECT
public:
    PodCatalog(KubeClient *client, const LogConfig &config, QObject *parent = nullptr);

    KubeClient *client() const { return m_client; }
    // The namespace's cache, started if needed; every acquire is matched by a release.
    NamespacePods *acquire(const QString &ns);
    void release(NamespacePods *pods);
    int namespaceCount() const { return int(m_namespaces.size()); }

private:
    struct Entry
    {
        NamespacePods *pods = nullptr;
        QTimer *idle = nullptr; // runs while nobody uses the namespace
        int users = 0;
    };
    void dropIfIdle(const QString &ns);

    KubeClient *m_client;
    LogConfig m_config;
    QHash<QString, Entry> m_namespaces;
};
