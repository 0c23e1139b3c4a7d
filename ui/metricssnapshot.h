#pragma once

#include <QByteArray>
#include <QString>

namespace pw::ui {

// What the status bar and the dashboard read from /metrics (Prometheus text).
struct MetricsSnapshot {
    QString clusterState; // "connected", "reconnecting"… or empty when not exported
    QString cacheBackend; // "memory", "redis"…
    bool cacheUp = true;
    double cacheHits = 0;       // hit + stale_hit + shared_hit, all families
    double cacheLookups = 0;    // hits + misses
    double pullsCompleted = -1; // pullwatch_pulls_finished_total, -1 when absent
    double pullsFailed = -1;
    int activePulls = -1;
    int clients = -1; // WebSocket clients when exported, else open HTTP connections; -1: unknown

    double hitRatio() const { return cacheLookups > 0 ? cacheHits / cacheLookups : -1; }
    static MetricsSnapshot parse(const QByteArray &text);
};

} // namespace pw::ui
