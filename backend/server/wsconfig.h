#pragma once

#include "logs/logconfig.h"

#include <QtGlobal>

namespace pw::server {

// Limits and intervals of the WebSocket API (docs/architecture.md §4): the transport's own, and
// those of the log streams it serves (LogConfig). Every interval is injectable so tests can
// shorten it.
struct WsConfig : logs::LogConfig
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
    // GET /pods bodies kept (WsCatalogRoutes): at most this many bytes in all, besides their
    // number (kMaxPodsBodies); a body larger than the whole budget is not kept.
    qint64 podsCacheBytes = 32 * 1024 * 1024;
};

} // namespace pw::server
