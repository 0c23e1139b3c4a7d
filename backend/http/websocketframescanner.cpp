#include "websocketframescanner.h"

namespace pw::http {

void WebSocketFrameScanner::frameEnded()
{
    m_step = Step::First;
    m_partial = 0;
}

WebSocketFrameScanner::Verdict WebSocketFrameScanner::feed(QByteArrayView bytes)
{
    qsizetype at = 0;
    while (m_verdict == Verdict::Ok && at < bytes.size()) {
        const auto byte = static_cast<unsigned char>(bytes[at]);
        switch (m_step) {
        case Step::First: // FIN, RSV, opcode: QWebSocket checks them
            ++at;
            ++m_partial;
            m_step = Step::Length;
            break;
        case Step::Length:
            ++at;
            ++m_partial;
            // RFC 6455 §5.1: a client masks every frame it sends.
            if (!(byte & 0x80)) {
                m_verdict = Verdict::Unmasked;
                break;
            }
            m_length = byte & 0x7f;
            if (m_length >= 126) {
                m_left = m_length == 126 ? 2 : 8;
                m_length = 0;
                m_step = Step::ExtendedLength;
            } else {
                m_left = 4;
                m_step = Step::MaskKey;
            }
            break;
        case Step::ExtendedLength:
            ++at;
            ++m_partial;
            m_length = (m_length << 8) | byte;
            if (--m_left > 0)
                break;
            // RFC 6455 §10.4: a frame larger than the endpoint takes is refused at its header.
            if (m_length > m_maxFrame) {
                m_verdict = Verdict::TooLarge;
                break;
            }
            m_left = 4;
            m_step = Step::MaskKey;
            break;
        case Step::MaskKey: {
            const qsizetype take = qMin<qsizetype>(m_left, bytes.size() - at);
            at += take;
            m_partial += take;
            m_left -= int(take);
            if (m_left > 0)
                break;
            if (m_length > 0)
                m_step = Step::Payload;
            else
                frameEnded();
            break;
        }
        case Step::Payload: {
            const quint64 take = qMin<quint64>(m_length, quint64(bytes.size() - at));
            at += qsizetype(take);
            m_partial += qint64(take);
            m_length -= take;
            if (m_length == 0)
                frameEnded();
            break;
        }
        }
    }
    return m_verdict;
}

} // namespace pw::http
