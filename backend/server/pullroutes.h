#pragma once

#include "apiservices.h"

#include <QObject>

class HttpRouter;
class Metrics;
struct PullHistoryQuery;

// The pull endpoints of docs/architecture.md §3: active and failed lists (from the response cache),
// start, details, retry, cancel; the cache is invalidated as the tracker changes.
class PullRoutes : public QObject
{
    Q_OBJECT
public:
    static constexpr int kActiveTtlMs = 5000;
    static constexpr int kFailedTtlMs = 30'000;
    static constexpr int kDefaultFailedLimit = 50;
    static constexpr int kMaxFailedLimit = 500;

    PullRoutes(HttpRouter &router, ApiServices services, Metrics *metrics, QObject *parent = nullptr);

private:
    void addRoutes(HttpRouter &router);
    void addMetrics(Metrics *metrics);
    QByteArray activeBody() const;
    QByteArray failedBody(int limit) const;
    QByteArray historyBody(const PullHistoryQuery &query) const;

    ApiServices m_services;
};
