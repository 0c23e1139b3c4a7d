#pragma once

#include "routetable.h"

#include <memory>

namespace pw::pulls { class PullService; }

namespace pw::server {

class ApiServer;
class AuthGate;
class PullRoutes;
class StaticFiles;
class WsApi;

// What the rows' handlers belong to. A null controller (or a WsApi part that is null) means
// its service is absent here: its rows answer 503.
struct ApiControllers {
    ApiServer *server = nullptr;
    AuthGate *auth = nullptr;
    std::shared_ptr<const StaticFiles> files;
    PullRoutes *pulls = nullptr;            // with a cluster and a cache
    const pulls::PullService *pullCheck = nullptr; // may be null: the reference rules only
    WsApi *ws = nullptr;
};

// The HTTP surface of Pullwatch (docs/architecture.md §3, §4, §6), declared once: every
// path, method, access and handler the server has is a row of this table, and nothing is
// registered with the router outside it. docs/api.md's route list is checked against it.
namespace ApiRoutes {
RouteTable table(const ApiControllers &c);
} // namespace ApiRoutes

} // namespace pw::server
