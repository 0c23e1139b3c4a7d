#pragma once

#include "wsconfig.h"

class KubeClient;
class PullService;
class ResponseCache;

// What the API serves from; a null service means that part is not configured here.
struct ApiServices
{
    PullService *pulls = nullptr;
    ResponseCache *cache = nullptr;
    KubeClient *kube = nullptr;
    // Limits and intervals of the WebSocket API (tests shorten them).
    WsConfig ws;
};
