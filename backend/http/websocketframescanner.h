#pragma once

#include <QByteArrayView>
#include <QtGlobal>

// Follows the frame boundaries of a client's WebSocket byte stream (RFC 6455 §5.2) without
// keeping any payload, to check what QWebSocket does not: every client frame is masked
// (§5.1). Bytes may arrive in any split.
class WebSocketFrameScanner
{
public:
    // False once an unmasked frame was seen (and from then on).
    bool feed(QByteArrayView bytes);
    bool sawUnmaskedFrame() const { return m_unmasked; }

private:
    enum class Step { First, Length, ExtendedLength, MaskKey, Payload };

    Step m_step = Step::First;
    int m_left = 0;        // bytes of the extended length or mask key still to come
    quint64 m_length = 0;  // payload length; payload bytes still to come while in Payload
    bool m_unmasked = false;
};
