#pragma once

#include "apiservices.h"

#include <QObject>

#include "http/httpreply.h"

namespace pw::http { struct HttpRequest; }
namespace pw::pulls { struct PullHistoryQuery; }

namespace pw::server {

class Metrics;

// The pull endpoints of docs/architecture.md §3: active and failed lists (from the response cache),
// start, details, retry, cancel; the cache is invalidated as the tracker changes. Its handlers
// are rows of the route table (apiroutes.cpp).
class PullRoutes : public QObject
{
    Q_OBJECT
public:
    static constexpr int kActiveTtlMs = 5000;
    static constexpr int kFailedTtlMs = 30'000;
    static constexpr int kDefaultFailedLimit = 50;
    static constexpr int kMaxFailedLimit = 500;

    PullRoutes(ApiServices services, Metrics *metrics, QObject *parent = nullptr);

    void active(const http::HttpRequest &request, http::HttpReply reply) const;
    void failed(const http::HttpRequest &request, http::HttpReply reply) const;
    void history(const http::HttpRequest &request, http::HttpReply reply) const;
    void start(const http::HttpRequest &request, http::HttpReply reply) const;
    void preview(const http::HttpRequest &request, http::HttpReply reply) const;
    void detail(const http::HttpRequest &request, http::HttpReply reply) const;
    void retry(const http::HttpRequest &request, http::HttpReply reply) const;
    void cancel(const http::HttpRequest &request, http::HttpReply reply) const;

private:
    void addMetrics(Metrics *metrics);
    QByteArray activeBody() const;
    QByteArray failedBody(int limit) const;
    QByteArray historyBody(const pulls::PullHistoryQuery &query) const;

    ApiServices m_services;
};

} // namespace pw::server
