#pragma once

#include "wsconfig.h"

namespace pw::cache { class ResponseCache; }
namespace pw::kube { class KubeClient; }
namespace pw::pulls { class PullService; }

namespace pw::server {

// What the API serves from; a null service means that part is not configured here.
struct ApiServices
{
    pulls::PullService *pulls = nullptr;
    cache::ResponseCache *cache = nullptr;
    kube::KubeClient *kube = nullptr;
    // Limits and intervals of the WebSocket API (tests shorten them).
    WsConfig ws;
};

} // namespace pw::server
