#include "podcatalog.h"

#include "namespacepods.h"

#include <QTimer>

PodCatalog::PodCatalog(KubeClient *client, const LogConfig &config, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_config(config)
{
}

NamespacePods *PodCatalog::acquire(const QString &ns)
{
    Entry &entry = m_namespaces[ns];
    if (!entry.pods) {
        entry.pods = new NamespacePods(m_client, ns, this);
        entry.idle = new QTimer(entry.pods);
        entry.idle->setSingleShot(true);
        connect(entry.idle, &QTimer::timeout, this, [this, ns] { dropIfIdle(ns); });
    }
    ++entry.users;
    entry.idle->stop();
    return entry.pods;
}

void PodCatalog::release(NamespacePods *pods)
{
    if (!pods)
        return;
    const auto it = m_namespaces.find(pods->namespaceName());
    if (it == m_namespaces.end() || it->pods != pods || --it->users > 0)
        return;
    it->idle->start(m_config.catalogIdleMs);
}

void PodCatalog::dropIfIdle(const QString &ns)
{
    const auto it = m_namespaces.find(ns);
    if (it == m_namespaces.end() || it->users > 0)
        return;
    NamespacePods *pods = it->pods;
    m_namespaces.erase(it);
    pods->deleteLater();
}
