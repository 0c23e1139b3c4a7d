#include "http/httpdate.h"
#include "http/httpreply.h"
#include "http/httpresponder.h"
#include "http/httpserver.h"
#include "http/httpstream.h"

#include "httpclient.h"
#include "httpserverfixture.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace pw::http;

// The HTTP engine over real loopback sockets: WebSocket upgrades handed to QWebSocketServer
// and the frames the engine checks on the way (RFC 6455 masking, ping floods, oversized
// frames).
class TestHttpServerWebSocket : public HttpServerFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { stopServer(); }
    void webSocketUpgrade();
    void webSocketFrameInTheHandshakeWriteArrives();
    void unmaskedWebSocketFrameIsAProtocolError();
    void pingFloodFromAClientThatDoesNotReadIsCut();
    void maskedFramesInAnySplitArriveWhole();
    void oversizedWebSocketFrameIsRefused();
    void maskedFloodFromAnotherThreadStaysInStep();
};

void TestHttpServerWebSocket::webSocketUpgrade()
{
    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy messages(&socket, &QWebSocket::textMessageReceived);
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server->serverPort())));
    QTRY_COMPARE(connected.size(), 1);
    socket.sendTextMessage(QStringLiteral("ping"));
    QTRY_COMPARE(messages.size(), 1);
    QCOMPARE(messages.first().first().toString(), QStringLiteral("echo:ping"));
    // The upgraded socket no longer counts as an HTTP connection.
    QTRY_COMPARE(m_server->connectionCount(), 0);
    // A plain GET on the WebSocket path is answered, not hung.
    HttpClient client;
    QCOMPARE(client.get(url(QStringLiteral("/ws"))).status, 426);
}

// A client may send its first frame in the same write as the handshake (RFC 6455 §4.1 lets
// it send once the 101 is in, but the bytes can travel together): it must not be lost.
void TestHttpServerWebSocket::webSocketFrameInTheHandshakeWriteArrives()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write(wsHandshake() + wsFrame(0x1, "early"));
    QByteArray all;
    QTRY_VERIFY_WITH_TIMEOUT((all += socket.readAll()).contains("echo:early"), 5000);
    QVERIFY(all.startsWith("HTTP/1.1 101"));
}

// RFC 6455 §5.1: a server closes the connection on an unmasked client frame, with 1002.
void TestHttpServerWebSocket::unmaskedWebSocketFrameIsAProtocolError()
{
    QTcpSocket socket;
    openWebSocket(socket);
    if (QTest::currentTestFailed())
        return;
    socket.write(wsFrame(0x1, "hello", false));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    const QByteArray all = socket.readAll();
    QVERIFY2(!all.contains("echo:hello"), all.toHex().constData());
    QVERIFY2(all.startsWith(QByteArray("\x88\x02\x03\xea", 4)), all.toHex().constData());
    QCOMPARE(m_server->limitCount(HttpServer::Limit::WebSocketUnmasked), 1u);
}

// Pings make the server queue pongs; a client that sends them and never reads has its
// connection cut once the queue passes the limit, instead of growing it without end.
void TestHttpServerWebSocket::pingFloodFromAClientThatDoesNotReadIsCut()
{
    HttpLimits limits;
    limits.maxWebSocketQueuedBytes = 1 << 20;
    startServer(limits);
    QTcpSocket socket;
    openWebSocket(socket);
    if (QTest::currentTestFailed())
        return;
    socket.setReadBufferSize(1); // read nothing more
    QByteArray pings;
    for (int i = 0; i < 1000; ++i)
        pings += wsFrame(0x9, QByteArray(125, 'p'));
    qint64 sent = 0;
    const qint64 kMaxSent = 64LL * 1024 * 1024; // more than the kernel's buffers hold
    QVERIFY(QTest::qWaitFor([&] {
        if (socket.state() != QAbstractSocket::ConnectedState || sent >= kMaxSent)
            return true;
        if (socket.bytesToWrite() < 1024 * 1024 && sent < kMaxSent) {
            socket.write(pings);
            sent += pings.size();
        }
        return false;
    }, 120'000));
    QVERIFY2(sent < kMaxSent, qPrintable(QString::number(sent)));
    QCOMPARE(m_server->limitCount(HttpServer::Limit::WebSocketQueueFull), 1u);
}

// Many masked frames written in pieces that cut frames anywhere: every message arrives, and
// none is taken for an unmasked one (the guard keeps its place in the stream).
void TestHttpServerWebSocket::maskedFramesInAnySplitArriveWhole()
{
    QTcpSocket socket;
    openWebSocket(socket);
    if (QTest::currentTestFailed())
        return;
    const int kMessages = 3000;
    QByteArray frames;
    for (int i = 0; i < kMessages; ++i) {
        frames += wsFrame(0x1, "m" + QByteArray::number(i) + QByteArray(i % 300, 'x'));
        if (i % 7 == 0)
            frames += wsFrame(0x9, QByteArray(i % 126, 'p'));
    }
    QByteArray all;
    qsizetype at = 0;
    int step = 0;
    QVERIFY2(QTest::qWaitFor([&] {
        if (at < frames.size()) {
            const qsizetype n = qMin<qsizetype>(frames.size() - at, 1 + (step++ * 7919) % 20'011);
            socket.write(frames.mid(at, n));
            at += n;
        }
        all += socket.readAll();
        return all.contains("echo:m" + QByteArray::number(kMessages - 1) + 'x')
            || socket.state() != QAbstractSocket::ConnectedState;
    }, 60'000), qPrintable(QString::number(all.count("echo:m"))));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(all.count("echo:m"), kMessages);
    QCOMPARE(m_server->limitCount(HttpServer::Limit::WebSocketUnmasked), 0u);
}

// The same from a client on another thread, so bytes keep arriving while the server handles
// earlier ones (as from a remote client): masked frames are never taken for unmasked ones.
void TestHttpServerWebSocket::maskedFloodFromAnotherThreadStaysInStep()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in to = {};
    to.sin_family = AF_INET;
    to.sin_port = htons(m_server->serverPort());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&to), sizeof to), 0);
    QByteArray frames;
    for (int i = 0; i < 20'000; ++i)
        frames += wsFrame(i % 5 ? 0x9 : 0x1, i % 5 ? QByteArray(125, 'p') : QByteArray("m"));
    std::atomic<qint64> received{0};
    std::atomic<bool> closed{false};
    std::thread reader([&] {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            received += n;
        }
        closed = true;
    });
    const QByteArray out = wsHandshake() + frames;
    std::thread writer([&] {
        for (qsizetype at = 0, step = 0; at < out.size() && !closed;) {
            const qsizetype n = qMin<qsizetype>(out.size() - at, 1 + (step++ * 7919) % 60'013);
            const ssize_t sent = ::send(fd, out.constData() + at, size_t(n), MSG_NOSIGNAL);
            if (sent <= 0)
                break;
            at += sent;
        }
    });
    // 4,000 echoes (8 bytes) and 16,000 pongs (127 bytes) after the 101 answer.
    const qint64 kBack = 4000 * 8 + 16'000 * 127 + 100;
    const bool done = QTest::qWaitFor([&] { return received >= kBack || closed; }, 60'000);
    writer.join();
    ::shutdown(fd, SHUT_RDWR);
    reader.join();
    ::close(fd);
    QCOMPARE(m_server->limitCount(HttpServer::Limit::WebSocketUnmasked), 0u);
    QVERIFY2(done && received >= kBack, qPrintable(QString::number(received)));
}

// RFC 6455 §10.4: a frame announcing more than the server takes is refused at its header
// (1009) instead of being waited for.
void TestHttpServerWebSocket::oversizedWebSocketFrameIsRefused()
{
    QTcpSocket socket;
    openWebSocket(socket);
    if (QTest::currentTestFailed())
        return;
    QByteArray header("\x82\xff", 2); // binary, masked, 64-bit length
    for (int shift = 56; shift >= 0; shift -= 8)
        header += char((quint64(1) << 32 >> shift) & 0xff); // 4 GiB
    socket.write(header + "\x01\x02\x03\x04" + QByteArray(1000, 'z'));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    const QByteArray all = socket.readAll();
    QVERIFY2(all.startsWith(QByteArray("\x88\x02\x03\xf1", 4)), all.toHex().constData());
    QCOMPARE(m_server->limitCount(HttpServer::Limit::WebSocketFrameTooLarge), 1u);
}

QTEST_GUILESS_MAIN(TestHttpServerWebSocket)
#include "tst_httpserver_websocket.moc"
