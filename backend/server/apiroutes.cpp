#include "apiroutes.h"

#include "apiserver.h"
#include "authgate.h"
#include "pullcheckroute.h"
#include "pullroutes.h"
#include "staticfiles.h"
#include "wsapi.h"
#include "wscatalogroutes.h"

#include "http/httpreply.h"
#include "http/httprequest.h"

namespace pw::server {

namespace {

// The handler `method` of `controller`, or none (the service is absent) when it is null.
template <typename Controller, typename Method>
http::HttpRouter::Handler handler(Controller *controller, Method method) {
    if (!controller)
        return {};
    return [controller, method](const http::HttpRequest &request, http::HttpResponder responder) {
        (controller->*method)(request, std::move(responder));
    };
}

// Rows are written as (methods, pattern, access, service, handler).
Route row(QByteArrayList methods, const char *pattern, RouteAccess access, RouteService service,
          http::HttpRouter::Handler handler) {
    return Route{std::move(methods), QString::fromLatin1(pattern), access, service, false,
                 std::move(handler)};
}

// A WebSocket endpoint: a viewer's GET with an upgrade.
Route upgrade(const char *pattern, RouteService service, http::HttpRouter::Handler handler) {
    return Route{
        {"GET"},           QString::fromLatin1(pattern), RouteAccess::Viewer, service, true,
        std::move(handler)};
}

} // namespace

namespace ApiRoutes {

RouteTable table(const ApiControllers &c) {
    using A = RouteAccess;
    using S = RouteService;
    const auto files = c.files;
    const pulls::PullService *pullCheck = c.pullCheck;
    WsApi *ws = c.ws;
    WsCatalogRoutes *catalog = ws ? ws->catalogRoutes() : nullptr;
    const bool statusHub = ws && ws->statusHub();
    const bool logStreams = ws && ws->logStreams();
    const bool podCatalog = ws && ws->podCatalog();

    RouteTable t;
    // Probes and the server itself.
    t.add(row({"GET"}, "/healthz", A::Open, S::None, handler(c.server, &ApiServer::health)));
    t.add(row({"GET"}, "/readyz", A::Public, S::None, handler(c.server, &ApiServer::readiness)));
    t.add(row({"GET"}, "/metrics", A::Viewer, S::None, handler(c.server, &ApiServer::prometheus)));
    t.add(row({"GET"}, "/api/version", A::Viewer, S::None, handler(c.server, &ApiServer::version)));
    // What a browser needs before it can log in.
    const auto index = [files](const http::HttpRequest &request, http::HttpResponder responder) {
        responder.send(files->index(request));
    };
    t.add(row({"GET"}, "/", A::Public, S::None, index));
    t.add(row({"GET"}, "/index.html", A::Public, S::None, index));
    t.add(row({"GET"}, "/static/{path...}", A::Public, S::None,
              [files](const http::HttpRequest &request, http::HttpResponder responder) {
                  responder.send(files->file(request));
              }));
    t.add(row({"GET"}, "/favicon.ico", A::Public, S::None,
              [files](const http::HttpRequest &, http::HttpResponder responder) {
                  responder.send(files->favicon());
              }));
    t.add(row({"POST"}, "/login", A::Public, S::None, handler(c.auth, &AuthGate::login)));
    t.add(row({"POST"}, "/logout", A::Public, S::None, handler(c.auth, &AuthGate::logout)));
    t.add(row({"GET"}, "/api/session", A::Public, S::None, handler(c.auth, &AuthGate::session)));
    // Pulls (docs/architecture.md §3).
    t.add(row({"GET"}, "/images/pull-active", A::Viewer, S::Pulls,
              handler(c.pulls, &PullRoutes::active)));
    t.add(row({"GET"}, "/images/pull-failed", A::Viewer, S::Pulls,
              handler(c.pulls, &PullRoutes::failed)));
    t.add(row({"GET"}, "/images/pull-history", A::Viewer, S::Pulls,
              handler(c.pulls, &PullRoutes::history)));
    t.add(
        row({"POST"}, "/images/pull", A::Operator, S::Pulls, handler(c.pulls, &PullRoutes::start)));
    t.add(row({"POST"}, "/images/pull-preview", A::Operator, S::Pulls,
              handler(c.pulls, &PullRoutes::preview)));
    t.add(row({"POST"}, "/images/pull-check", A::Operator, S::None,
              [pullCheck](const http::HttpRequest &request, http::HttpResponder responder) {
                  PullCheckRoute::answer(pullCheck, request, std::move(responder));
              }));
    t.add(row({"GET"}, "/images/pull/{job_id}", A::Viewer, S::Pulls,
              handler(c.pulls, &PullRoutes::detail)));
    t.add(row({"POST"}, "/images/pull/{job_id}/retry", A::Operator, S::Pulls,
              handler(c.pulls, &PullRoutes::retry)));
    t.add(row({"DELETE"}, "/images/pull/{job_id}", A::Operator, S::Pulls,
              handler(c.pulls, &PullRoutes::cancel)));
    // The log viewer's choices.
    t.add(row({"GET"}, "/namespaces", A::Viewer, S::Cluster,
              catalog ? http::HttpRouter::Handler([catalog](const http::HttpRequest &,
                                                            http::HttpResponder r) {
                  catalog->namespaces(std::move(r));
              })
                      : http::HttpRouter::Handler()));
    t.add(row({"GET"}, "/pods", A::Viewer, S::Cluster, handler(catalog, &WsCatalogRoutes::pods)));
    // WebSockets (docs/architecture.md §4).
    t.add(upgrade("/ws/image-pull/{job_id}", S::Pulls,
                  handler(statusHub ? ws : nullptr, &WsApi::pullStatus)));
    t.add(upgrade("/ws/image-pull-all", S::Pulls,
                  handler(statusHub ? ws : nullptr, &WsApi::allStatus)));
    t.add(upgrade("/ws/pod-logs", S::Cluster, handler(logStreams ? ws : nullptr, &WsApi::podLogs)));
    t.add(upgrade("/ws/catalog", S::Cluster, handler(podCatalog ? ws : nullptr, &WsApi::catalog)));
    return t;
}

} // namespace ApiRoutes

} // namespace pw::server
