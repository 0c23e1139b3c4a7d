#include "wspodcatalog.h"

#include "wsnamespacepods.h"

WsPodCatalog::WsPodCatalog(KubeClient *client, const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_config(config)
{
}

WsNamespacePods *WsPodCatalog::acquire(const QString &ns)
{
    WsNamespacePods *pods = m_namespaces.value(ns);
    if (!pods) {
        pods = new WsNamespacePods(m_client, ns, this);
        m_namespaces.insert(ns, pods);
        connect(&pods->idle, &QTimer::timeout, this, [this, pods] {
            if (pods->users > 0)
                return;
            m_namespaces.remove(pods->namespaceName());
            pods->deleteLater();
        });
    }
    ++pods->users;
    pods->idle.stop();
    return pods;
}

void WsPodCatalog::release(WsNamespacePods *pods)
{
    if (!pods || --pods->users > 0)
        return;
    pods->idle.start(m_config.catalogIdleMs);
}
