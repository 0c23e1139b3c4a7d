#pragma once

#include "wsconfig.h"

#include <QHash>
#include <QObject>

class KubeClient;
class WsNamespacePods;

// List + watch caches of pods, one per namespace in use: started on first use, dropped
// catalogIdleMs after the last user let go (docs/architecture.md §3, /pods; log viewers with job=).
class WsPodCatalog : public QObject
{
    Q_OBJECT
public:
    WsPodCatalog(KubeClient *client, const WsConfig &config, QObject *parent = nullptr);

    KubeClient *client() const { return m_client; }
    WsNamespacePods *acquire(const QString &ns);
    void release(WsNamespacePods *pods);
    int namespaceCount() const { return int(m_namespaces.size()); }

private:
    KubeClient *m_client;
    WsConfig m_config;
    QHash<QString, WsNamespacePods *> m_namespaces;
};
