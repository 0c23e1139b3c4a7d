#pragma once

#include <QtGlobal>

namespace pw::logs {

// Limits and intervals of the log library (docs/architecture.md §4, §11): the shared log
// streams' rings and frames, how long job= waits for a pod, and the pod catalogue's
// lifetime. Every interval is injectable so tests can shorten it. The WebSocket API's
// configuration (WsConfig) extends it with the transport's own limits.
struct LogConfig
{
    // Log frames: lines are gathered for one event-loop pass or up to this many bytes.
    int maxFrameBytes = 64 * 1024;
    // The ring of recent lines each shared log stream keeps for tailLines and resume=.
    int ringLines = 100'000;
    qint64 ringBytes = 32 * 1024 * 1024;
    int jobWaitMs = 60'000;       // job=: how long to wait for the job's pod
    int catalogIdleMs = 60'000;   // a namespace's pod cache is dropped after this unused
    int catalogSyncWaitMs = 10'000; // /pods waits this long for a first list
};

} // namespace pw::logs
