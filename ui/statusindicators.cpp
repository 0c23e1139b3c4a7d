#include "statusindicators.h"

#include <QLabel>
#include <QStatusBar>

namespace pw::ui {

StatusIndicators::StatusIndicators(QStatusBar *bar, const QUrl &server, QObject *parent)
    : QObject(parent)
    , m_connection(new QLabel(bar))
    , m_cluster(new QLabel(tr("cluster: …"), bar))
    , m_cache(new QLabel(tr("cache: …"), bar))
    , m_server(new QLabel(server.toDisplayString(QUrl::RemoveUserInfo), bar))
    , m_clients(new QLabel(bar))
    , m_live(new QLabel(bar)) {
    m_server->setToolTip(tr("Server address"));
    for (QLabel *l : {m_connection, m_cluster, m_cache, m_server, m_clients, m_live})
        bar->addPermanentWidget(l);
    setConnection(ApiClient::State::Connecting);
    setLive(false);
}

void StatusIndicators::setConnection(ApiClient::State state, ConnectionBanner::Problem problem) {
    static const QString red = QStringLiteral("color:#c0392b");
    switch (state) {
    case ApiClient::State::Connecting:
        m_connection->setText(tr("● connecting"));
        m_connection->setStyleSheet(QStringLiteral("color:#b9770e"));
        break;
    case ApiClient::State::Connected:
        if (problem == ConnectionBanner::Problem::NoCluster) {
            m_connection->setText(tr("● no cluster"));
            m_connection->setStyleSheet(red);
        } else if (problem == ConnectionBanner::Problem::ClusterDown) {
            m_connection->setText(tr("● cluster unreachable"));
            m_connection->setStyleSheet(red);
        } else {
            m_connection->setText(tr("● backend up"));
            m_connection->setStyleSheet(QStringLiteral("color:#1e8449"));
        }
        break;
    case ApiClient::State::Unreachable:
        m_connection->setText(tr("● backend unreachable"));
        m_connection->setStyleSheet(red);
        break;
    case ApiClient::State::Unauthorized:
        m_connection->setText(tr("● token refused"));
        m_connection->setStyleSheet(red);
        break;
    case ApiClient::State::Throttled:
        m_connection->setText(tr("● locked out for now"));
        m_connection->setStyleSheet(red);
        break;
    }
}

void StatusIndicators::setLive(bool live) {
    m_live->setText(live ? tr("live") : tr("polling"));
    m_live->setToolTip(live ? tr("Pull updates arrive over /ws/image-pull-all")
                            : tr("No live feed: the tables are refreshed every 2 s"));
}

void StatusIndicators::setMetrics(const MetricsSnapshot &m) {
    m_cluster->setText(
        tr("cluster: %1").arg(m.clusterState.isEmpty() ? tr("not configured") : m.clusterState));
    m_cluster->setStyleSheet(m.clusterState == QStringLiteral("connected")
                                 ? QString()
                                 : QStringLiteral("color:#c0392b"));
    const double ratio = m.hitRatio();
    m_cache->setText(
        tr("cache: %1%2, hit ratio %3")
            .arg(m.cacheBackend.isEmpty() ? tr("?") : m.cacheBackend,
                 m.cacheUp ? QString() : tr(" (down)"),
                 ratio < 0 ? tr("–") : QStringLiteral("%1%").arg(ratio * 100, 0, 'f', 1)));
    m_clients->setText(m.clients < 0 ? QString() : tr("clients: %1").arg(m.clients));
}

QString StatusIndicators::text() const {
    QStringList parts;
    for (QLabel *l : {m_connection, m_cluster, m_cache, m_server, m_clients, m_live})
        if (!l->text().isEmpty())
            parts << l->text();
    return parts.join(QStringLiteral(" | "));
}

} // namespace pw::ui
