#include "routetable.h"

#include "apierror.h"
#include "requestpolicy.h"

#include "http/httprequest.h"

namespace pw::server {

void RouteTable::install(http::HttpRouter &router) const {
    for (const Route &route : m_routes) {
        http::HttpRouter::Handler handler = [upgrade = route.upgrade, service = route.service,
                                       handler = route.handler](const http::HttpRequest &request,
                                                                http::HttpResponder responder) {
            if (upgrade && !request.isWebSocketUpgrade()) {
                responder.send(ApiError{
                    ApiError::Kind::UpgradeRequired,
                    QStringLiteral("this is a WebSocket endpoint; send a "
                                   "WebSocket upgrade request"),
                    {}}.toResponse());
                return;
            }
            if (!handler) {
                responder.send(ApiError::unavailable(unavailableMessage(service)).toResponse());
                return;
            }
            handler(request, std::move(responder));
        };
        for (const QByteArray &method : route.methods)
            router.add(method, route.pattern, handler);
    }
}

RouteAccess RouteTable::accessFor(const http::HttpRequest &request) const {
    const QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    const Route *publicPath = nullptr;
    // The path is split once here, each pattern once when its row was added: this runs
    // for every request (bench/RESULTS.md, fifth round).
    const QList<QByteArray> segments = http::HttpRouter::pathSegments(request.rawPath);
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes.at(i);
        if (!http::HttpRouter::matchesSegments(m_segments.at(i), segments))
            continue;
        if (route.methods.contains(method))
            return route.access;
        if (!publicPath &&
            (route.access == RouteAccess::Open || route.access == RouteAccess::Public))
            publicPath = &route;
    }
    if (publicPath)
        return publicPath->access;
    return RequestPolicy::isStateChanging(request.method) ? RouteAccess::Operator
                                                          : RouteAccess::Viewer;
}

QString RouteTable::accessName(RouteAccess access) {
    switch (access) {
    case RouteAccess::Open:
        return QStringLiteral("open");
    case RouteAccess::Public:
        return QStringLiteral("public");
    case RouteAccess::Viewer:
        return QStringLiteral("viewer");
    case RouteAccess::Operator:
        return QStringLiteral("operator");
    }
    return {};
}

QString RouteTable::serviceName(RouteService service) {
    switch (service) {
    case RouteService::None:
        return {};
    case RouteService::Pulls:
        return QStringLiteral("pulls");
    case RouteService::Cluster:
        return QStringLiteral("cluster");
    }
    return {};
}

QString RouteTable::unavailableMessage(RouteService service) {
    return QStringLiteral("%1 unavailable: no cluster is configured; start with --kubeconfig, "
                          "--context or --demo")
        .arg(serviceName(service));
}

} // namespace pw::server
