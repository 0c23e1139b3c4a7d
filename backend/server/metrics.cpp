#include "metrics.h"

#include "http/httpserver.h"

namespace pw::server {

Metrics::Metrics(http::HttpServer *http, QObject *parent)
    : QObject(parent)
    , m_http(http)
{
    connect(http, &http::HttpServer::requestFinished, this, &Metrics::record);
}

QByteArray Metrics::methodLabel(const QByteArray &method)
{
    // A fixed label set: a client inventing methods must not create series without end.
    static const QByteArrayList known = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    if (method.isEmpty())
        return QByteArrayLiteral("invalid"); // the request could not be parsed
    return known.contains(method) ? method : QByteArrayLiteral("other");
}

void Metrics::record(const QByteArray &method, const QString &route, int status, qint64 us)
{
    const QString r = route.isEmpty() ? QStringLiteral("unmatched") : route;
    ++m_requests[Key{r, methodLabel(method), status}];
    Latency &l = m_latency[r];
    const double seconds = double(us) / 1e6;
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i])
            ++l.buckets[i];
    ++l.count;
    l.sum += seconds;
}

void Metrics::help(QByteArray &out, const char *name, const char *type, const char *text)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += text;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

QByteArray Metrics::label(const QString &value)
{
    QByteArray v = value.toUtf8();
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return '"' + v + '"';
}

QByteArray Metrics::render() const
{
    QByteArray out;
    out.reserve(8192);
    help(out, "pullwatch_http_requests_total", "counter", "HTTP requests answered, by route, method and status.");
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it)
        out += "pullwatch_http_requests_total{route=" + label(it.key().route) + ",method="
            + label(QString::fromLatin1(it.key().method)) + ",status=\""
            + QByteArray::number(it.key().status) + "\"} " + QByteArray::number(it.value()) + '\n';
    help(out, "pullwatch_http_request_duration_seconds", "histogram",
         "Time from a complete request to its answer, by route.");
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        const QByteArray route = label(it.key());
        for (size_t i = 0; i < kBuckets.size(); ++i)
            out += "pullwatch_http_request_duration_seconds_bucket{route=" + route + ",le=\""
                + QByteArray::number(kBuckets[i]) + "\"} " + QByteArray::number(it->buckets[i]) + '\n';
        out += "pullwatch_http_request_duration_seconds_bucket{route=" + route + ",le=\"+Inf\"} "
            + QByteArray::number(it->count) + '\n';
        out += "pullwatch_http_request_duration_seconds_sum{route=" + route + "} "
            + QByteArray::number(it->sum, 'g', 9) + '\n';
        out += "pullwatch_http_request_duration_seconds_count{route=" + route + "} "
            + QByteArray::number(it->count) + '\n';
    }
    help(out, "pullwatch_http_connections", "gauge", "Open HTTP connections (WebSockets not included).");
    out += "pullwatch_http_connections " + QByteArray::number(m_http->connectionCount()) + '\n';
    help(out, "pullwatch_http_queued_bytes", "gauge", "Answer bytes written but not yet taken by the HTTP clients.");
    out += "pullwatch_http_queued_bytes " + QByteArray::number(m_http->queuedBytes()) + '\n';
    help(out, "pullwatch_http_limited_total", "counter", "Requests or connections refused or cut by a server limit.");
    for (int i = 0; i < int(http::HttpServer::Limit::Count_); ++i) {
        const auto limit = http::HttpServer::Limit(i);
        out += "pullwatch_http_limited_total{limit=\"" + QByteArray(http::HttpServer::limitName(limit))
            + "\"} " + QByteArray::number(m_http->limitCount(limit)) + '\n';
    }
    for (const Section &section : m_sections)
        section(out);
    return out;
}

} // namespace pw::server
