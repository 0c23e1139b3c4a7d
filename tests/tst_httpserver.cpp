#include "http/httpdate.h"
#include "http/httpreply.h"
#include "http/httpresponder.h"
#include "http/httpserver.h"
#include "http/httpstream.h"

#include "httpclient.h"

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

// The HTTP engine over real loopback sockets: QNetworkAccessManager, QWebSocket and raw
// QTcpSocket clients for what a well-behaved client never sends.
class TestHttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void routesAndParameters();
    void headHasNoBody();
    void notFoundAndWrongMethod();
    void postBodies();
    void chunkedRequestBody();
    void expectContinue();
    void limits_data();
    void limits();
    void malformedRequests_data();
    void malformedRequests();
    void pipeliningKeepsOrder();
    void unansweredRequestGets500();
    void replyCopiesDroppedUnansweredGive500();
    void replyCopiesAnswerOnce();
    void dateHeaderFromSeveralThreads();
    void streamingResponse();
    void webSocketUpgrade();
    void connectionCaps();
    void requestTimeout();
    void idleTimeout();
    void busyConnectionStaysOpen();
    void requestTimeoutAfterAnIdleWait();
    void bigAnswersToALateReaderArriveWholeAndInOrder();
    void requestDeadlineIsAbsolute();
    void pipelinedAnswersWaitForAClientThatDoesNotRead();
    void connectionCapStaysUnderTheDescriptorLimit();
    void webSocketFrameInTheHandshakeWriteArrives();
    void unmaskedWebSocketFrameIsAProtocolError();
    void pingFloodFromAClientThatDoesNotReadIsCut();
    void maskedFramesInAnySplitArriveWhole();
    void oversizedWebSocketFrameIsRefused();
    void maskedFloodFromAnotherThreadStaysInStep();

private:
    QUrl url(const QString &path) const;
    QByteArray raw(const QByteArray &request, int waitMs = 3000);
    void startServer(const HttpLimits &limits = HttpLimits());
    // Connects `socket` and completes a WebSocket handshake on /ws over it.
    void openWebSocket(QTcpSocket &socket);

    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<QWebSocketServer> m_ws;
    QList<HttpResponder> m_held;
};

// A WebSocket frame as a client sends it: FIN, `opcode`, masked unless `masked` is false.
static QByteArray wsFrame(quint8 opcode, const QByteArray &payload, bool masked = true)
{
    QByteArray f;
    f += char(0x80 | opcode);
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        f += char(maskBit | char(payload.size()));
    } else {
        f += char(maskBit | 126);
        f += char((payload.size() >> 8) & 0xff);
        f += char(payload.size() & 0xff);
    }
    const QByteArray key = masked ? QByteArray("\x12\x34\x56\x78") : QByteArray();
    f += key;
    for (qsizetype i = 0; i < payload.size(); ++i)
        f += masked ? char(payload[i] ^ key[i % 4]) : payload[i];
    return f;
}

static QByteArray wsHandshake()
{
    return "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

// 8 MB, more than the kernel's socket buffers take at once: the server's direct write is
// partial and the rest is queued.
static QByteArray bigBody()
{
    static const QByteArray body = [] {
        QByteArray b;
        for (int i = 0; b.size() < 8 * 1024 * 1024; ++i)
            b += QByteArray::number(i) + ',';
        return b;
    }();
    return body;
}

void TestHttpServer::startServer(const HttpLimits &limits)
{
    m_server = std::make_unique<HttpServer>();
    m_server->setLimits(limits);
    m_ws = std::make_unique<QWebSocketServer>(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    connect(m_ws.get(), &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_ws->nextPendingConnection()) {
            connect(socket, &QWebSocket::textMessageReceived, socket,
                    [socket](const QString &m) { socket->sendTextMessage(QStringLiteral("echo:") + m); });
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    HttpRouter &r = m_server->router();
    r.add("GET", QStringLiteral("/hello"), [](const HttpRequest &, HttpResponder res) {
        res.send(HttpResponse::text(200, "hello"));
    });
    r.add("GET", QStringLiteral("/items/{id}"), [](const HttpRequest &req, HttpResponder res) {
        res.send(HttpResponse::text(200, req.pathParam(QStringLiteral("id")).toUtf8() + '|'
                                             + req.queryValue(QStringLiteral("q")).toUtf8()));
    });
    r.add("POST", QStringLiteral("/echo"), [](const HttpRequest &req, HttpResponder res) {
        res.send(HttpResponse::text(200, req.body));
    });
    r.add("DELETE", QStringLiteral("/items/{id}"), [](const HttpRequest &, HttpResponder res) {
        res.send(HttpResponse::text(204, {}));
    });
    r.add("GET", QStringLiteral("/slow"), [this](const HttpRequest &, HttpResponder res) {
        auto holder = std::make_shared<HttpResponder>(std::move(res));
        QTimer::singleShot(200, this, [holder] { holder->send(HttpResponse::text(200, "slow")); });
    });
    r.add("GET", QStringLiteral("/big"), [](const HttpRequest &, HttpResponder res) {
        res.send(HttpResponse::text(200, bigBody()));
    });
    r.add("GET", QStringLiteral("/32k/{n}"), [](const HttpRequest &req, HttpResponder res) {
        res.send(HttpResponse::text(200, req.pathParam(QStringLiteral("n")).toUtf8() + ':'
                                             + QByteArray(32 * 1024, 'k')));
    });
    r.add("GET", QStringLiteral("/forget"), [](const HttpRequest &, HttpResponder) {});
    // Copies of one HttpReply kept by two callbacks, neither of which answers.
    r.add("GET", QStringLiteral("/reply-forget"), [this](const HttpRequest &, HttpReply reply) {
        QTimer::singleShot(20, this, [reply] { Q_UNUSED(reply); });
        QTimer::singleShot(40, this, [reply] { Q_UNUSED(reply); });
    });
    // Two copies answer: the first answer is the one sent, the later one does nothing.
    r.add("GET", QStringLiteral("/reply-twice"), [this](const HttpRequest &, HttpReply reply) {
        const HttpReply later = reply;
        reply.send(HttpResponse::text(200, "first"));
        QTimer::singleShot(20, this, [later] { later.send(HttpResponse::text(201, "second")); });
    });
    r.add("GET", QStringLiteral("/stream"), [this](const HttpRequest &, HttpResponder res) {
        QPointer<HttpStream> stream = res.startStream(200, {{"Content-Type", "text/plain"}});
        auto *timer = new QTimer(this);
        auto count = std::make_shared<int>(0);
        connect(timer, &QTimer::timeout, this, [stream, timer, count] {
            if (!stream) {
                timer->deleteLater();
                return;
            }
            stream->write(QByteArray("line ") + QByteArray::number(++*count) + '\n');
            if (*count == 5) {
                stream->end();
                timer->deleteLater();
            }
        });
        timer->start(20);
    });
    r.add("GET", QStringLiteral("/ws"), [this](const HttpRequest &req, HttpResponder res) {
        if (!req.isWebSocketUpgrade()) {
            res.send(HttpResponse::text(426, "upgrade required"));
            return;
        }
        res.upgradeToWebSocket(m_ws.get());
    });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void TestHttpServer::init()
{
    startServer();
}

void TestHttpServer::cleanup()
{
    m_held.clear();
    m_server.reset();
    m_ws.reset();
}

QUrl TestHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->serverPort()).arg(path));
}

QByteArray TestHttpServer::raw(const QByteArray &request, int waitMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    if (!socket.waitForConnected(2000))
        return {};
    socket.write(request);
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < waitMs && socket.state() == QAbstractSocket::ConnectedState) {
        QTest::qWait(10);
        answer += socket.readAll();
    }
    answer += socket.readAll();
    return answer;
}

void TestHttpServer::routesAndParameters()
{
    HttpClient client;
    HttpResult r = client.get(url(QStringLiteral("/hello")));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArrayLiteral("hello"));
    QVERIFY(!r.header("Date").isEmpty());
    // %2F inside a segment stays inside the parameter; '+' is not a space.
    r = client.get(QUrl::fromEncoded(url(QStringLiteral("/items/a%2Fb?q=1%2B2+3")).toEncoded()));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArrayLiteral("a/b|1+2+3"));
}

void TestHttpServer::headHasNoBody()
{
    const QByteArray answer = raw("HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.constData());
    QVERIFY(answer.contains("Content-Length: 5\r\n"));
    QVERIFY(answer.endsWith("\r\n\r\n"));
}

void TestHttpServer::notFoundAndWrongMethod()
{
    m_server->setErrorResponder([](int status, const QString &message) {
        return HttpResponse::json(status, "{\"code\":" + QByteArray::number(status) + ",\"error\":\""
                                              + message.toUtf8() + "\"}");
    });
    HttpClient client;
    HttpResult r = client.get(url(QStringLiteral("/nope")));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.body, QByteArrayLiteral("{\"code\":404,\"error\":\"no such path: /nope\"}"));
    r = client.send("PUT", url(QStringLiteral("/items/1")), "x");
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("Allow"), QByteArrayLiteral("GET, DELETE"));
    QVERIFY(r.body.contains("\"code\":405"));
}

void TestHttpServer::postBodies()
{
    HttpClient client;
    const QByteArray body(200'000, 'x');
    const HttpResult r = client.send("POST", url(QStringLiteral("/echo")), body);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, body);
}

void TestHttpServer::chunkedRequestBody()
{
    const QByteArray answer =
        raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.endsWith("\r\n\r\nhello world"));
}

void TestHttpServer::expectContinue()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    QTRY_VERIFY(socket.bytesAvailable() > 0);
    QCOMPARE(socket.readAll(), QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write("abc");
    QByteArray answer;
    QTRY_VERIFY((answer += socket.readAll()).endsWith("abc"));
    QVERIFY(answer.startsWith("HTTP/1.1 200"));
}

void TestHttpServer::limits_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("body over limit") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                                   + QByteArray::number((1 << 20) + 1) + "\r\n\r\n")
                                     << 413;
    QTest::newRow("chunked body over limit")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n")
        << 413;
    QTest::newRow("header over limit")
        << QByteArray("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20'000, 'a') + "\r\n\r\n")
        << 431;
    QTest::newRow("endless header") << QByteArray("GET /hello HTTP/1.1\r\nX: " + QByteArray(40'000, 'a'))
                                    << 431;
    QTest::newRow("URL over limit")
        << QByteArray("GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n") << 414;
    QTest::newRow("endless URL") << QByteArray("GET /" + QByteArray(20'000, 'a')) << 414;
    QTest::newRow("100 KB URL") << QByteArray("GET /" + QByteArray(100'000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                << 414;
    // A trailer is bounded like a header, also before its line ends.
    QTest::newRow("endless trailer")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\nab\r\n0\r\nX-T: " + QByteArray(40'000, 'a'))
        << 431;
}

void TestHttpServer::limits()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const QByteArray answer = raw(request);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.left(200).constData());
    QVERIFY(answer.contains("Connection: close"));
}

void TestHttpServer::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
    QTest::newRow("no version") << QByteArray("GET /hello\r\n\r\n") << 400;
    QTest::newRow("HTTP/2") << QByteArray("GET /hello HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("bad header") << QByteArray("GET /hello HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n") << 400;
    QTest::newRow("folded header") << QByteArray("GET /hello HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n") << 400;
    QTest::newRow("smuggling") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                               << 400;
    QTest::newRow("two lengths") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                               "Content-Length: 4\r\n\r\nabcd")
                                 << 400;
    QTest::newRow("negative length") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
                                     << 400;
    QTest::newRow("gzip coding") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")
                                 << 501;
    QTest::newRow("bad chunk size") << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                  "zz\r\n")
                                    << 400;
    QTest::newRow("NUL in header") << QByteArray("GET /hello HTTP/1.1\r\nHost: x\r\nA: b\0c\r\n\r\n", 40) << 400;
    // RFC 9112 §7.1: chunk-size = 1*HEXDIG; nothing a lenient strtol would also take.
    const QByteArray chunkedPost = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    QTest::newRow("chunk size 0x2") << QByteArray(chunkedPost + "0x2\r\nab\r\n0\r\n\r\n") << 400;
    QTest::newRow("chunk size +2") << QByteArray(chunkedPost + "+2\r\nab\r\n0\r\n\r\n") << 400;
    QTest::newRow("chunk size -0") << QByteArray(chunkedPost + "-0\r\n\r\n") << 400;
    QTest::newRow("chunk size in spaces") << QByteArray(chunkedPost + " 2 \r\nab\r\n0\r\n\r\n") << 400;
    QTest::newRow("chunk size bare LF") << QByteArray(chunkedPost + "2\nab\r\n0\r\n\r\n") << 400;
    // RFC 9112 §6.1: every Transfer-Encoding line counts; only plain "chunked" is understood.
    QTest::newRow("gzip then chunked")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n")
        << 501;
    QTest::newRow("gzip, chunked")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                      "2\r\nab\r\n0\r\n\r\n")
        << 501;
    // RFC 9112 §2.2: lines end with CRLF; a bare LF is refused, not taken as a line end.
    QTest::newRow("bare LF head") << QByteArray("GET /hello HTTP/1.1\nHost: x\n\n") << 400;
    QTest::newRow("bare LF then a CRLF request")
        << QByteArray("GET /hello HTTP/1.1\nHost: x\n\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("bare LF in a header")
        << QByteArray("GET /hello HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n") << 400;
    // RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host.
    QTest::newRow("HTTP/1.1 without Host") << QByteArray("GET /hello HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two Host headers")
        << QByteArray("GET /hello HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n") << 400;
    QTest::newRow("absolute-form with userinfo")
        << QByteArray("GET http://a@x/hello HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
}

void TestHttpServer::malformedRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const QByteArray answer = raw(request);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.left(200).constData());
}

void TestHttpServer::pipeliningKeepsOrder()
{
    // The first answer comes 200 ms later than the second would; order must hold.
    const QByteArray answer =
        raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET /items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const qsizetype slow = answer.indexOf("slow");
    const qsizetype hello = answer.indexOf("hello");
    const qsizetype seven = answer.indexOf("\r\n\r\n7|");
    QVERIFY2(slow > 0 && hello > slow && seven > hello, answer.constData());
    QCOMPARE(answer.count("HTTP/1.1 200 OK"), 3);
}

void TestHttpServer::unansweredRequestGets500()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/forget")));
    QCOMPARE(r.status, 500);
}

void TestHttpServer::replyCopiesDroppedUnansweredGive500()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/reply-forget")));
    QCOMPARE(r.status, 500);
}

void TestHttpServer::replyCopiesAnswerOnce()
{
    // Pipelined on one connection: the later copy's answer must not become the answer to
    // the next request.
    const QByteArray answer =
        raw("GET /reply-twice HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(answer.count("HTTP/1.1 "), 2);
    const qsizetype first = answer.indexOf("\r\n\r\nfirst");
    const qsizetype slow = answer.indexOf("\r\n\r\nslow");
    QVERIFY2(first > 0 && slow > first, answer.constData());
    QVERIFY2(!answer.contains("second"), answer.constData());
}

void TestHttpServer::dateHeaderFromSeveralThreads()
{
    // RFC 9110 §5.6.7's own example.
    QCOMPARE(HttpDate::format(784111777), QByteArrayLiteral("Sun, 06 Nov 1994 08:49:37 GMT"));
    // Several threads format the current date at once, across second boundaries (each keeps
    // its own cache; a shared one is a data race the sanitized build reports).
    constexpr int kThreads = 4;
    std::atomic<int> wrong{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&wrong, &stop] {
            while (!stop.load()) {
                const qint64 before = QDateTime::currentSecsSinceEpoch();
                const QByteArray date = HttpDate::now();
                const qint64 after = QDateTime::currentSecsSinceEpoch();
                if (date != HttpDate::format(before) && date != HttpDate::format(after))
                    ++wrong;
            }
        });
    // Two second boundaries pass while they run.
    const qint64 start = QDateTime::currentSecsSinceEpoch();
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch() >= start + 2, 10'000);
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
    // The server's answers carry it.
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/hello")));
    QVERIFY(r.header("Date").endsWith(" GMT"));
}

void TestHttpServer::streamingResponse()
{
    HttpClient client;
    QNetworkReply *reply = client.manager().get(QNetworkRequest(url(QStringLiteral("/stream"))));
    QByteArray seen;
    int reads = 0;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        seen += reply->readAll();
        ++reads;
    });
    QTRY_VERIFY(reply->isFinished());
    seen += reply->readAll();
    QCOMPARE(seen, QByteArrayLiteral("line 1\nline 2\nline 3\nline 4\nline 5\n"));
    QVERIFY2(reads >= 2, "the body arrived in one piece: it was not streamed");
    QCOMPARE(reply->rawHeader("Transfer-Encoding"), QByteArrayLiteral("chunked"));
    reply->deleteLater();
    // The connection is reusable after the stream ended.
    QCOMPARE(client.get(url(QStringLiteral("/hello"))).status, 200);
}

void TestHttpServer::webSocketUpgrade()
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

void TestHttpServer::connectionCaps()
{
    HttpLimits limits;
    limits.maxConnectionsPerAddress = 3;
    limits.maxConnections = 1000;
    startServer(limits);
    QList<QTcpSocket *> sockets;
    for (int i = 0; i < 3; ++i) {
        auto *s = new QTcpSocket(this);
        s->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(s->waitForConnected(2000));
        sockets << s;
    }
    QTRY_COMPARE(m_server->connectionCount(), 3);
    QByteArray answer = raw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 429"), answer.constData());
    QCOMPARE(m_server->limitCount(HttpServer::Limit::TooManyFromAddress), 1u);
    qDeleteAll(sockets);
    QTRY_COMPARE(m_server->connectionCount(), 0);
    QVERIFY(raw("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));

    limits.maxConnections = 2;
    startServer(limits);
    sockets.clear();
    for (int i = 0; i < 2; ++i) {
        auto *s = new QTcpSocket(this);
        s->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(s->waitForConnected(2000));
        sockets << s;
    }
    QTRY_COMPARE(m_server->connectionCount(), 2);
    answer = raw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.constData());
    QVERIFY(answer.contains("Retry-After: 1"));
    qDeleteAll(sockets);
}

void TestHttpServer::requestTimeout()
{
    HttpLimits limits;
    limits.requestTimeoutMs = 300;
    startServer(limits);
    const QByteArray answer = raw("GET /hello HTTP/1.1\r\nHost: x\r\n", 3000);
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QCOMPARE(m_server->limitCount(HttpServer::Limit::RequestTimeout), 1u);
}

void TestHttpServer::idleTimeout()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 300;
    startServer(limits);
    QTcpSocket socket;
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY(socket.bytesAvailable() > 0);
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200"));
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 3000);
    QTRY_COMPARE(m_server->connectionCount(), 0);
    QCOMPARE(m_server->limitCount(HttpServer::Limit::IdleTimeout), 1u);
}

// Each answer moves the idle deadline: requests 150 ms apart for 1.2 s with a 300 ms idle
// timeout keep the connection, and it closes about 300 ms after the last one.
void TestHttpServer::busyConnectionStaysOpen()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 300;
    startServer(limits);
    QTcpSocket socket;
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    for (int i = 0; i < 8; ++i) {
        socket.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY(socket.bytesAvailable() > 0);
        QVERIFY(socket.readAll().startsWith("HTTP/1.1 200"));
        QTest::qWait(150);
        QCOMPARE(closed.size(), 0);
    }
    QElapsedTimer idle;
    idle.start();
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 3000);
    QVERIFY2(idle.elapsed() >= 100, qPrintable(QString::number(idle.elapsed())));
    QCOMPARE(m_server->limitCount(HttpServer::Limit::IdleTimeout), 1u);
}

// A long idle deadline must not hide a shorter request deadline that follows it: half a
// request after an answer gets 408 after the request timeout, not the idle timeout.
void TestHttpServer::requestTimeoutAfterAnIdleWait()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 20'000;
    limits.requestTimeoutMs = 300;
    startServer(limits);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY(socket.bytesAvailable() > 0);
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200"));
    QElapsedTimer waited;
    waited.start();
    socket.write("GET /hello HTTP/1.1\r\nHost: x\r\n");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).startsWith("HTTP/1.1 408"), 5000);
    QVERIFY2(waited.elapsed() < 5000, qPrintable(QString::number(waited.elapsed())));
    QCOMPARE(m_server->limitCount(HttpServer::Limit::RequestTimeout), 1u);
}

// Two big answers and a small one, pipelined, to a client that reads only after a while:
// every byte arrives, in order (what the kernel did not take waits on the socket, and later
// answers wait behind it).
void TestHttpServer::bigAnswersToALateReaderArriveWholeAndInOrder()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.setReadBufferSize(1); // read nothing yet: the kernel buffers fill up
    socket.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    QTest::qWait(300);
    socket.setReadBufferSize(0);
    QByteArray all;
    const QByteArray hello = "\r\n\r\nhello";
    QVERIFY(QTest::qWaitFor([&] {
        all += socket.readAll();
        return all.endsWith(hello);
    }, 20'000));
    qsizetype at = 0;
    for (int i = 0; i < 2; ++i) {
        const qsizetype bodyAt = all.indexOf("\r\n\r\n", at) + 4;
        QVERIFY(all.mid(at, 15).startsWith("HTTP/1.1 200"));
        QVERIFY(all.mid(at, bodyAt - at).contains("Content-Length: 8388"));
        QVERIFY2(all.mid(bodyAt, bigBody().size()) == bigBody(), "a big answer was altered");
        at = bodyAt + bigBody().size();
    }
    QVERIFY(all.mid(at).startsWith("HTTP/1.1 200"));
    QVERIFY(all.endsWith(hello));
}

// Slowloris: a request trickling in a byte at a time is cut when the request timeout has
// passed since its first byte, however steadily bytes keep coming.
void TestHttpServer::requestDeadlineIsAbsolute()
{
    HttpLimits limits;
    limits.requestTimeoutMs = 500;
    startServer(limits);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, &socket, [&socket] { socket.write("a"); });
    trickle.start(50); // well inside the timeout each time
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).startsWith("HTTP/1.1 408"), 6000);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 6000);
    QCOMPARE(m_server->limitCount(HttpServer::Limit::RequestTimeout), 1u);
}

// Pipelined requests from a client that does not read: the server answers until the
// answers queued for it pass the limit, then reads no more requests until the client takes
// its answers; then every answer arrives, in order.
void TestHttpServer::pipelinedAnswersWaitForAClientThatDoesNotRead()
{
    HttpLimits limits;
    limits.maxQueuedResponseBytes = 256 * 1024;
    startServer(limits);
    const int kRequests = 600; // 19 MB of answers
    int served = 0;
    connect(m_server.get(), &HttpServer::requestFinished, this, [&served] { ++served; });
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.setReadBufferSize(1); // read nothing yet
    QByteArray requests;
    for (int i = 0; i < kRequests; ++i)
        requests += "GET /32k/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    socket.write(requests);
    QTRY_VERIFY(served > 0);
    // Wait until the server stops answering (it is waiting for the client).
    int seen = -1;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        const bool settled = served == seen;
        seen = served;
        return settled;
    }(), 10'000);
    QVERIFY2(served < kRequests, qPrintable(QString::number(served)));
    QVERIFY2(m_server->queuedBytes() <= limits.maxQueuedResponseBytes + 40 * 1024,
             qPrintable(QString::number(m_server->queuedBytes())));
    socket.setReadBufferSize(0);
    QByteArray all;
    QVERIFY2(QTest::qWaitFor([&] {
        all += socket.readAll();
        return all.count("HTTP/1.1 200") >= kRequests;
    }, 30'000), qPrintable(QStringLiteral("%1 answers, %2 served, %3 queued")
                               .arg(all.count("HTTP/1.1 200")).arg(served)
                               .arg(m_server->queuedBytes())));
    QCOMPARE(all.count("HTTP/1.1 200"), kRequests);
    qsizetype at = 0;
    for (int i = 0; i < kRequests; i += 97) {
        const qsizetype next = all.indexOf("\r\n\r\n" + QByteArray::number(i) + ':', at);
        QVERIFY2(next > at || (i == 0 && next >= 0), qPrintable(QString::number(i)));
        at = next;
    }
}

// With a low descriptor limit (no LimitNOFILE), the connection cap is lowered under it, so
// clients beyond it get 503 rather than an accept() that fails for everyone.
void TestHttpServer::connectionCapStaysUnderTheDescriptorLimit()
{
    rlimit saved = {};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    rlimit low = saved;
    low.rlim_cur = 1024;
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
    startServer(); // 20,000 connections by default
    ::setrlimit(RLIMIT_NOFILE, &saved);
    QVERIFY2(m_server->connectionCap() <= 1024 - 200,
             qPrintable(QString::number(m_server->connectionCap())));
    QVERIFY(m_server->connectionCap() >= 16);
    QCOMPARE(m_server->limits().maxConnections, HttpLimits().maxConnections);
}

void TestHttpServer::openWebSocket(QTcpSocket &socket)
{
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write(wsHandshake());
    QByteArray head;
    QTRY_VERIFY((head += socket.readAll()).contains("\r\n\r\n"));
    QVERIFY(head.startsWith("HTTP/1.1 101"));
}

// A client may send its first frame in the same write as the handshake (RFC 6455 §4.1 lets
// it send once the 101 is in, but the bytes can travel together): it must not be lost.
void TestHttpServer::webSocketFrameInTheHandshakeWriteArrives()
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
void TestHttpServer::unmaskedWebSocketFrameIsAProtocolError()
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
void TestHttpServer::pingFloodFromAClientThatDoesNotReadIsCut()
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
void TestHttpServer::maskedFramesInAnySplitArriveWhole()
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
void TestHttpServer::maskedFloodFromAnotherThreadStaysInStep()
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
void TestHttpServer::oversizedWebSocketFrameIsRefused()
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

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
