#pragma once

#include "wsconfig.h"

#include <QJsonArray>

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
    // On the demo cluster: what its image names do ([{keyword, outcome, example}]), served in
    // /api/version so clients can teach it; empty elsewhere.
    QJsonArray demoOutcomes;
};
