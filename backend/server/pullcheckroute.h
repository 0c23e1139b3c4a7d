#pragma once

namespace pw::http { class HttpResponder; }
namespace pw::http { struct HttpRequest; }
namespace pw::pulls { class PullService; }

namespace pw::server {

// POST /images/pull-check: the server's rules for image references (core/imagereference),
// applied to each name without starting anything, so every client shows the same words for
// a bad reference — the desktop runs the same code, the web UI asks here as the user types.
// Body as POST /images/pull; answer data [{name, ok, error?, source?}], one per name, in order.
// With a cluster (`pulls`), each name gets all the per-name checks of POST /images/pull
// (PullPlanner::checkName: also the registry policy and the Harbor target rule); without one,
// the reference rules only.

namespace PullCheckRoute {
// The handler of its row in the route table (apiroutes.cpp); `pulls` may be null.
void answer(const pulls::PullService *pulls, const http::HttpRequest &request,
            http::HttpResponder responder);
} // namespace PullCheckRoute

} // namespace pw::server
