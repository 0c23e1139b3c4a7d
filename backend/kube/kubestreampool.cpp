#include "kubestreampool.h"

#include "kubelog.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace pw::kube {

KubeStreamPool::KubeStreamPool(int streamsPerManager, QObject *parent)
    : QObject(parent)
    , m_perManager(std::max(1, std::min(streamsPerManager, 6))) {}

int KubeStreamPool::activeStreams() const {
    int n = 0;
    for (int c : m_active)
        n += c;
    return n;
}

void KubeStreamPool::clearConnectionCaches() {
    for (QNetworkAccessManager *m : std::as_const(m_managers))
        m->clearConnectionCache();
}

QNetworkAccessManager *KubeStreamPool::pick() {
    for (QNetworkAccessManager *m : std::as_const(m_managers))
        if (m_active.value(m) < m_perManager)
            return m;
    auto *m = new QNetworkAccessManager(this);
    m->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    m_managers.append(m);
    qCDebug(lcKube) << "stream pool: manager" << m_managers.size() << "added";
    return m;
}

QNetworkReply *KubeStreamPool::get(const QNetworkRequest &request) {
    QNetworkAccessManager *manager = pick();
    ++m_active[manager];
    QNetworkReply *reply = manager->get(request);
    connect(reply, &QObject::destroyed, this, [this, manager] { release(manager); });
    return reply;
}

void KubeStreamPool::release(QNetworkAccessManager *manager) {
    if (--m_active[manager] > 0 || m_managers.size() <= 1)
        return;
    // Keep one manager; drop an idle extra one so a burst does not leave threads behind.
    m_managers.removeOne(manager);
    m_active.remove(manager);
    manager->deleteLater();
}

} // namespace pw::kube
