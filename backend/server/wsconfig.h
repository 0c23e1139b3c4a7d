#pragma once

#include <QtGlobal>

// Limits and intervals of the WebSocket API (docs/architecture.md §4). Every interval is injectable so
// tests can shorten it.
struct WsConfig
{
    int pingIntervalMs = 30'000;  // a ping every 30 s
    int pongTimeoutMs = 60'000;   // closed after 60 s without a pong
    int maxMessageBytes = 4096;   // client messages over this get an error message
    // Client frames or messages over this are refused by QWebSocket itself (close 1009), so a
    // client can never make the server buffer more than this for one message.
    int hardIncomingBytes = 64 * 1024;
    int abuseLimit = 10;          // bad client messages before close 1008
    int maxSubscriptions = 1000;  // per /ws/image-pull-all connection
    // Send queue per connection, measured with QWebSocket::bytesToWrite(): log frames are
    // skipped (and later reported as a gap) while it holds more than softQueueBytes; nothing
    // is ever queued beyond maxQueueBytes; a client that stays behind for stallCloseMs, or
    // that would need more than maxQueueBytes for a message that cannot be skipped, is
    // closed with 1013.
    qint64 softQueueBytes = 4 * 1024 * 1024;
    qint64 maxQueueBytes = 8 * 1024 * 1024;
    int stallCloseMs = 10'000;
    // Log frames: lines are gathered for one event-loop pass or up to this many bytes.
    int maxFrameBytes = 64 * 1024;
    // A viewer catching up from a ring (it fell behind, drained, or joined with a tail) writes
    // at most this much per event-loop pass, in turn with the others (WsWriteTurns).
    qint64 turnBudgetBytes = 256 * 1024;
    // The ring of recent lines each shared log stream keeps for tailLines and resume=.
    int ringLines = 100'000;
    qint64 ringBytes = 32 * 1024 * 1024;
    int jobWaitMs = 60'000;       // job=: how long to wait for the job's pod
    int catalogIdleMs = 60'000;   // a namespace's pod cache is dropped after this unused
    int catalogSyncWaitMs = 10'000; // /pods waits this long for a first list
};
