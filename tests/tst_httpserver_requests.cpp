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

// The HTTP engine over real loopback sockets: requests and answers (routes, methods, bodies,
// limits, malformed input, pipelining, answers from any thread, streamed responses).
class TestHttpServerRequests : public HttpServerFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { stopServer(); }
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
};

void TestHttpServerRequests::routesAndParameters()
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

void TestHttpServerRequests::headHasNoBody()
{
    const QByteArray answer = raw("HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.constData());
    QVERIFY(answer.contains("Content-Length: 5\r\n"));
    QVERIFY(answer.endsWith("\r\n\r\n"));
}

void TestHttpServerRequests::notFoundAndWrongMethod()
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

void TestHttpServerRequests::postBodies()
{
    HttpClient client;
    const QByteArray body(200'000, 'x');
    const HttpResult r = client.send("POST", url(QStringLiteral("/echo")), body);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, body);
}

void TestHttpServerRequests::chunkedRequestBody()
{
    const QByteArray answer =
        raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.endsWith("\r\n\r\nhello world"));
}

void TestHttpServerRequests::expectContinue()
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

void TestHttpServerRequests::limits_data()
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

void TestHttpServerRequests::limits()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const QByteArray answer = raw(request);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.left(200).constData());
    QVERIFY(answer.contains("Connection: close"));
}

void TestHttpServerRequests::malformedRequests_data()
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

void TestHttpServerRequests::malformedRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const QByteArray answer = raw(request);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.left(200).constData());
}

void TestHttpServerRequests::pipeliningKeepsOrder()
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

void TestHttpServerRequests::unansweredRequestGets500()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/forget")));
    QCOMPARE(r.status, 500);
}

void TestHttpServerRequests::replyCopiesDroppedUnansweredGive500()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/reply-forget")));
    QCOMPARE(r.status, 500);
}

void TestHttpServerRequests::replyCopiesAnswerOnce()
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

void TestHttpServerRequests::dateHeaderFromSeveralThreads()
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

void TestHttpServerRequests::streamingResponse()
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

QTEST_GUILESS_MAIN(TestHttpServerRequests)
#include "tst_httpserver_requests.moc"
