#pragma once

#include <QtGlobal>

namespace pw::server {

// Counters of the WebSocket API for /metrics and tests; one instance per server.
struct WsStats
{
    quint64 messagesSent = 0;
    quint64 bytesSent = 0;
    quint64 framesSkipped = 0;   // log frames not sent to a client that was behind
    quint64 gapsSent = 0;
    quint64 slowCloses = 0;      // closed with 1013
    quint64 pongTimeouts = 0;
    quint64 rejectedMessages = 0; // client messages answered with an error
    quint64 abuseCloses = 0;     // closed with 1008 after repeated bad messages
    qint64 peakQueuedBytes = 0;  // the largest send queue any connection reached
    // By protocol version (WsProtocol): connections accepted, and what a v1 client, which has
    // no message for it, was not told (docs/api.md "Protocol versions").
    quint64 v1Connections = 0;
    quint64 v2Connections = 0;
    quint64 v1GapsWithheld = 0;     // gaps: lines a v1 viewer did not get
    quint64 v1GapLines = 0;         // how many lines those gaps held
    quint64 v1RestartsWithheld = 0; // resume= into a stream that had restarted at 0
};

} // namespace pw::server
