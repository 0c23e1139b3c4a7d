#pragma once

#include <QString>

namespace pw::core {

// The WebSocket subprotocol (RFC 6455 §1.9, Sec-WebSocket-Protocol) with which a client asks
// for Pullwatch's own messages (version 2 of the WebSocket API, docs/api.md "Protocol
// versions"). A client that asks for nothing gets the original service's messages (version 1).
// Shared by the server, which answers it, and by the window, which asks for it.
// Where a client cannot set a subprotocol it adds v=1 or v=2 to the URL: versionError checks
// one value of v= (empty when valid, else an error naming it and what is allowed).
namespace WsProtocolName {
inline QString v2() { return QStringLiteral("pullwatch.v2"); }
inline QString versionError(const QString &value)
{
    if (value == QLatin1String("1") || value == QLatin1String("2"))
        return {};
    return QStringLiteral("v must be 1 (the original messages) or 2 (Pullwatch's messages); "
                          "got '%1'")
        .arg(value.left(40));
}
} // namespace WsProtocolName

} // namespace pw::core
