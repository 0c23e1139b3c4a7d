#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace pw::http {

// Follows the frame boundaries of a client's WebSocket byte stream (RFC 6455 §5.2) without
// keeping any payload: it checks what QWebSocket does not (every client frame is masked,
// §5.1) and tells how many of the bytes fed so far end with the last complete frame. Bytes
// may arrive in any split.
class WebSocketFrameScanner
{
public:
    enum class Verdict { Ok, Unmasked, TooLarge };

    explicit WebSocketFrameScanner(quint64 maxFrameBytes) : m_maxFrame(maxFrameBytes) {}
    // Scans bytes that continue the stream. Once not Ok, it stays so.
    Verdict feed(QByteArrayView bytes);
    Verdict verdict() const { return m_verdict; }
    // Bytes fed since the last complete frame ended (an unfinished frame's start).
    qint64 partialBytes() const { return m_partial; }

private:
    enum class Step { First, Length, ExtendedLength, MaskKey, Payload };

    void frameEnded();

    quint64 m_maxFrame;
    Step m_step = Step::First;
    int m_left = 0;        // bytes of the extended length or mask key still to come
    quint64 m_length = 0;  // payload length; payload bytes still to come while in Payload
    qint64 m_partial = 0;
    Verdict m_verdict = Verdict::Ok;
};

} // namespace pw::http
