#include "podcatalog.h"

#include "namespacepods.h"

#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeobject.h"

#include <QJsonArray>
#include <QTimer>

#include <algorithm>

namespace pw::logs {

PodCatalog::PodCatalog(kube::KubeClient *client, const LogConfig &config, QObject *parent)
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

void PodCatalog::listNamespaces(QObject *receiver, NamespacesDone done)
{
    m_namespaceWaiters.push_back({receiver, std::move(done)});
    if (m_namespaceWaiters.size() > 1)
        return; // single flight: one cluster request answers every caller
    kube::KubeCall *call = m_client->send("GET", QStringLiteral("/api/v1/namespaces"));
    connect(call, &kube::KubeCall::finished, this, [this](kube::KubeCall *c) {
        if (!c->ok()) {
            namespacesListed({}, c->error().toString());
            return;
        }
        QList<QJsonObject> items;
        for (const QJsonValue &v : c->object().value(QLatin1String("items")).toArray())
            items.append(v.toObject());
        std::sort(items.begin(), items.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return kube::KubeObject::name(a) < kube::KubeObject::name(b);
        });
        namespacesListed(items, QString());
    });
}

void PodCatalog::namespacesListed(const QList<QJsonObject> &items, const QString &error)
{
    std::vector<Waiting> waiting = std::move(m_namespaceWaiters);
    m_namespaceWaiters.clear();
    for (const Waiting &w : waiting)
        if (w.receiver)
            w.done(items, error);
}

} // namespace pw::logs
