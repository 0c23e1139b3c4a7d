#pragma once

#include <QtGlobal>

namespace pw::http {

// Limits the server enforces itself; Qt 6.4's HTTP server has none.
struct HttpLimits
{
    qint64 maxBodyBytes = 1 << 20;      // 413 beyond
    int maxHeaderBytes = 16 * 1024;     // 431 beyond (request line + headers)
    int maxUrlBytes = 8 * 1024;         // 414 beyond
    // 408 when a request is not complete this long after its first byte (an absolute
    // deadline: trickling bytes does not move it).
    int requestTimeoutMs = 30'000;
    int idleTimeoutMs = 120'000;        // a kept-alive connection with no request is closed
    int maxConnections = 20'000;        // 503 beyond
    int maxConnectionsPerAddress = 16'384; // 429 beyond
    int socketReadBufferBytes = 256 * 1024; // what is read ahead from a client (backpressure)
    // Answers queued for a client that does not read them: beyond this no further (pipelined)
    // request is read until the client has taken some, so it waits in the bounded buffers.
    qint64 maxQueuedResponseBytes = 1 << 20;
    // An upgraded (WebSocket) connection: what may wait unread for the client, Qt's automatic
    // pongs included, before a client that keeps sending is cut. Above the WebSocket API's
    // own send-queue cap (docs/architecture.md §4), so this only catches what that cannot see.
    qint64 maxWebSocketQueuedBytes = 16 << 20;
    // One client frame of an upgraded connection: held until whole, refused (1009) beyond.
    // Above the WebSocket API's own message cap, which QWebSocket enforces.
    qint64 maxWebSocketFrameBytes = 1 << 20;
};

} // namespace pw::http
