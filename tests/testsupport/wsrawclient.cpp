#include "wsrawclient.h"

#include <QHostAddress>
#include <QTest>

namespace WsTest {

RawClient::RawClient(quint16 port, const QByteArray &target, const QByteArray &protocol) {
    connect(&socket, &QTcpSocket::readyRead, this, [this] {
        if (reading)
            readSome();
    });
    connect(&socket, &QTcpSocket::disconnected, this, [this] { disconnected = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.waitForConnected(5000);
    socket.write(
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n" +
        (protocol.isEmpty() ? QByteArray() : "Sec-WebSocket-Protocol: " + protocol + "\r\n") +
        "\r\n");
}

QByteArray RawClient::header(const QByteArray &name) const {
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

int RawClient::handshake() {
    (void)QTest::qWaitFor(
        [this] {
            buffer += socket.readAll();
            return buffer.contains("\r\n\r\n") || disconnected;
        },
        5000);
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return 0;
    head = buffer.left(end);
    buffer.remove(0, end + 4);
    const int status = head.mid(9, 3).toInt();
    if (status == 101) {
        reading = true;
        parse();
        return status;
    }
    // The body follows (Content-Length).
    const qsizetype at = head.toLower().indexOf("content-length:");
    const int length =
        at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toInt();
    (void)QTest::qWaitFor(
        [&] {
            buffer += socket.readAll();
            return buffer.size() >= length || disconnected;
        },
        5000);
    body = buffer.left(length);
    return status;
}

void RawClient::stopReading() {
    reading = false;
    socket.setReadBufferSize(4096);
}

void RawClient::startReading() {
    reading = true;
    socket.setReadBufferSize(0);
    readSome();
}

void RawClient::readSome() {
    buffer += socket.readAll();
    parse();
}

void RawClient::sendFrame(quint8 opcode, const QByteArray &payload) {
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8)).append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((n >> (8 * i)) & 0xff));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    socket.write(frame);
}

void RawClient::parse() {
    qsizetype pos = 0;
    for (;;) {
        if (buffer.size() - pos < 2)
            break;
        const auto b0 = quint8(buffer[pos]);
        quint64 len = quint8(buffer[pos + 1]) & 0x7f;
        qsizetype header = 2;
        if (len == 126) {
            if (buffer.size() - pos < 4)
                break;
            len = (quint64(quint8(buffer[pos + 2])) << 8) | quint8(buffer[pos + 3]);
            header = 4;
        } else if (len == 127) {
            if (buffer.size() - pos < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | quint8(buffer[pos + 2 + i]);
            header = 10;
        }
        if (quint64(buffer.size() - pos - header) < len)
            break;
        const QByteArray payload = buffer.mid(pos + header, qsizetype(len));
        pos += header + qsizetype(len);
        onFrame(b0 & 0x0f, payload);
    }
    buffer.remove(0, pos);
}

void RawClient::onFrame(int opcode, const QByteArray &payload) {
    frameBytes += qint64(payload.size());
    if (opcode == 0x1 && texts.size() < 100000)
        texts.append(payload.left(200));
    else if (opcode == 0x9)
        ++pings;
    else if (opcode == 0x8 && payload.size() >= 2)
        closeCode = (quint8(payload[0]) << 8) | quint8(payload[1]);
}

} // namespace WsTest
