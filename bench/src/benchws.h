#pragma once

#include "core/wsprotocolname.h"

#include <QUrl>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace BenchUtil {
// Opens `socket` asking for Pullwatch's own messages (subprotocol "pullwatch.v2", docs/api.md
// "Protocol versions"), which the benchmarks count: acks, gaps.
inline void openWebSocket(QWebSocket &socket, const QUrl &url)
{
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({pw::core::WsProtocolName::v2()});
    socket.open(url, options);
}
} // namespace BenchUtil
