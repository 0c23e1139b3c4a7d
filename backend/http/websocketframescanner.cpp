#include "websocketframescanner.h"

bool WebSocketFrameScanner::feed(QByteArrayView bytes)
{
    qsizetype at = 0;
    while (!m_unmasked && at < bytes.size()) {
        const auto byte = static_cast<unsigned char>(bytes[at]);
        switch (m_step) {
        case Step::First: // FIN, RSV, opcode: QWebSocket checks them
            ++at;
            m_step = Step::Length;
            break;
        case Step::Length:
            ++at;
            // RFC 6455 §5.1: a client masks every frame it sends.
            if (!(byte & 0x80)) {
                m_unmasked = true;
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
            m_length = (m_length << 8) | byte;
            if (--m_left == 0) {
                m_left = 4;
                m_step = Step::MaskKey;
            }
            break;
        case Step::MaskKey: {
            const qsizetype take = qMin<qsizetype>(m_left, bytes.size() - at);
            at += take;
            m_left -= int(take);
            if (m_left == 0)
                m_step = m_length > 0 ? Step::Payload : Step::First;
            break;
        }
        case Step::Payload: {
            const quint64 take = qMin<quint64>(m_length, quint64(bytes.size() - at));
            at += qsizetype(take);
            m_length -= take;
            if (m_length == 0)
                m_step = Step::First;
            break;
        }
        }
    }
    return !m_unmasked;
}
