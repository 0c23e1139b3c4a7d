#pragma once

#include <QString>

// The WebSocket subprotocol (RFC 6455 §1.9, Sec-WebSocket-Protocol) with which a client asks
// for Pullwatch's own messages (version 2 of the WebSocket API, docs/api.md "Protocol
// versions"). A client that asks for nothing gets the original service's messages (version 1).
// Shared by the server, which answers it, and by the window, which asks for it.
namespace WsProtocolName {
inline QString v2() { return QStringLiteral("pullwatch.v2"); }
} // namespace WsProtocolName
