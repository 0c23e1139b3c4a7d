#pragma once

#include <QString>

namespace pw::server {

class WsConnection;

// How a /ws/pod-logs session ends (docs/api.md), one place for the single-container and the
// merged sessions.
namespace WsLogEnd {
// After the final "ended" message: close 1000; a v1 client, which has no "ended" message, gets
// the detail in the close reason.
void close(WsConnection *connection, const QString &detail);
// {"type":"error","error":…}, then close 1008 with the error as the reason.
void fail(WsConnection *connection, const QString &error);
} // namespace WsLogEnd

} // namespace pw::server
