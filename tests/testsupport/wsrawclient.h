#pragma once

#include "core/wsprotocolname.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpSocket>

namespace WsTest {

// A WebSocket client by hand, for what a well-behaved client never does (stop reading,
// never answer pings, send oversized frames): handshake, then reads only when told to;
// parses server frames (unmasked) and sends masked client frames of any size.
class RawClient : public QObject {
public:
    // `protocol`: the Sec-WebSocket-Protocol header to send (empty: none).
    RawClient(quint16 port, const QByteArray &target,
              const QByteArray &protocol = pw::core::WsProtocolName::v2().toLatin1());
    // A header of the handshake answer (name in lower case); empty if absent.
    QByteArray header(const QByteArray &name) const;
    // Reads the handshake answer; returns its status (101 for an upgrade).
    int handshake();
    void stopReading();
    void startReading();
    void readSome();
    void sendFrame(quint8 opcode, const QByteArray &payload);

    QTcpSocket socket;
    QByteArray buffer;
    QByteArray head;
    QByteArray body;
    QList<QByteArray> texts;
    int pings = 0;
    int closeCode = -1;
    qint64 frameBytes = 0;
    bool reading = false;
    bool disconnected = false;

private:
    void parse();
    // One whole frame received: counted, and kept (text), counted (ping) or read (close).
    void onFrame(int opcode, const QByteArray &payload);
};

} // namespace WsTest
