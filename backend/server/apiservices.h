#pragma once

class KubeClient;
class PullService;
class ResponseCache;

// What the API serves from; a null service means that part is not configured here.
struct ApiServices
{
    PullService *pulls = nullptr;
    ResponseCache *cache = nullptr;
    KubeClient *kube = nullptr;
};
