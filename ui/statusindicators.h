#pragma once

#include "apiclient.h"
#include "connectionbanner.h"

#include <QObject>

class QLabel;
class QStatusBar;

namespace pw::ui {

// The status bar's fields: cluster state, cache backend and hit ratio, server address,
// connected clients, and whether live updates flow.
class StatusIndicators : public QObject {
    Q_OBJECT
public:
    StatusIndicators(QStatusBar *bar, const QUrl &server, QObject *parent = nullptr);

    // Green only when the backend and its cluster both work.
    void setConnection(ApiClient::State state,
                       ConnectionBanner::Problem problem = ConnectionBanner::Problem::None);
    void setLive(bool live);
    void setMetrics(const MetricsSnapshot &metrics);
    QString text() const; // all fields, for tests and the tooltip

private:
    QLabel *m_connection;
    QLabel *m_cluster;
    QLabel *m_cache;
    QLabel *m_server;
    QLabel *m_clients;
    QLabel *m_live;
};

} // namespace pw::ui
