#pragma once

#include "http/httprouter.h"

#include <QByteArrayList>
#include <QList>
#include <QString>

namespace pw::http { struct HttpRequest; }

namespace pw::server {

// Who may call a route (docs/architecture.md §6). Open: no check at all, not even Host
// (liveness probes); Public: Host and Origin checked, no credential (what a browser needs
// before it can log in); Viewer: any valid credential; Operator: the operator role.
enum class RouteAccess { Open, Public, Viewer, Operator };

// What a route needs in order to answer; when it is absent here the route answers
// 503 "<service> unavailable: …".
enum class RouteService { None, Pulls, Cluster };

// One row of the HTTP surface (docs/architecture.md §3): method(s), path pattern, access,
// the service it needs, whether it is a WebSocket endpoint, and its handler.
struct Route {
    QByteArrayList methods;
    QString pattern;
    RouteAccess access = RouteAccess::Operator;
    RouteService service = RouteService::None;
    bool upgrade = false; // a WebSocket endpoint: a request that is no upgrade gets 426
    // Null when the service is absent. Takes the request's HttpResponder; a handler that
    // answers later may take an HttpReply instead (it converts).
    http::HttpRouter::Handler handler;
};

// The one declaration of the routes, from which come the router's registrations (install),
// the 405 answers with their Allow header (the router, from the same registrations), the
// 503 of a route whose service is absent and the 426 of a WebSocket route asked without an
// upgrade (install), and the gate's access decision (accessFor).
class RouteTable {
public:
    void add(Route route)
    {
        m_segments.append(http::HttpRouter::patternSegments(route.pattern));
        m_routes.append(std::move(route));
    }
    const QList<Route> &routes() const { return m_routes; }

    // Registers every row's methods with `router`.
    void install(http::HttpRouter &router) const;

    // The access the request needs: its row's; on a path whose rows are public but not
    // for this method (answered 405), public; on no row, by method — a request that changes
    // state needs the operator, any other a viewer (so an unknown path answers 401, not 404,
    // to a client without credentials).
    RouteAccess accessFor(const http::HttpRequest &request) const;

    static QString accessName(RouteAccess access);
    static QString serviceName(RouteService service);
    // The error of a route whose service is absent.
    static QString unavailableMessage(RouteService service);

private:
    QList<Route> m_routes;
    QList<QStringList> m_segments; // each row's pattern, split once (accessFor runs per request)
};

} // namespace pw::server
