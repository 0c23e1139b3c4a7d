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

#include <malloc.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace pw::http;

// The HTTP engine over real loopback sockets: connection caps, request and idle timeouts,
// slow readers and the descriptor limit.
class TestHttpServerConnections : public HttpServerFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { stopServer(); }
    void connectionCaps();
    void requestTimeout();
    void idleTimeout();
    void busyConnectionStaysOpen();
    void requestTimeoutAfterAnIdleWait();
    void bigAnswersToALateReaderArriveWholeAndInOrder();
    void requestDeadlineIsAbsolute();
    void pipelinedAnswersWaitForAClientThatDoesNotRead();
    void connectionCapStaysUnderTheDescriptorLimit();
    void idleConnectionsHoldNoReadAhead();
};

void TestHttpServerConnections::connectionCaps()
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

void TestHttpServerConnections::requestTimeout()
{
    HttpLimits limits;
    limits.requestTimeoutMs = 300;
    startServer(limits);
    const QByteArray answer = raw("GET /hello HTTP/1.1\r\nHost: x\r\n", 3000);
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QCOMPARE(m_server->limitCount(HttpServer::Limit::RequestTimeout), 1u);
}

void TestHttpServerConnections::idleTimeout()
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
void TestHttpServerConnections::busyConnectionStaysOpen()
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
void TestHttpServerConnections::requestTimeoutAfterAnIdleWait()
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
void TestHttpServerConnections::bigAnswersToALateReaderArriveWholeAndInOrder()
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
void TestHttpServerConnections::requestDeadlineIsAbsolute()
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
void TestHttpServerConnections::pipelinedAnswersWaitForAClientThatDoesNotRead()
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
void TestHttpServerConnections::connectionCapStaysUnderTheDescriptorLimit()
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

QTEST_GUILESS_MAIN(TestHttpServerConnections)
#include "tst_httpserver_connections.moc"

namespace {
// Bytes the process has taken from malloc, small blocks and mapped ones.
qint64 heapInUse()
{
    const struct mallinfo2 info = ::mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}
} // namespace

void TestHttpServerConnections::idleConnectionsHoldNoReadAhead()
{
    // A keep-alive connection between requests (and a WebSocket before its hand-over) holds
    // what its client sent, not the 256 KB it may read ahead. Plain sockets on the client
    // side, so the heap measured is the server's.
    constexpr int kConnections = 20;
    const QByteArray request = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    const qint64 before = heapInUse();
    std::vector<int> fds;
    for (int i = 0; i < kConnections; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        QVERIFY(fd >= 0);
        fds.push_back(fd);
        sockaddr_in address = {};
        address.sin_family = AF_INET;
        address.sin_port = htons(m_server->serverPort());
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int rc = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
        QVERIFY(rc == 0 || errno == EINPROGRESS);
    }
    QTRY_COMPARE(m_server->connectionCount(), kConnections);
    for (const int fd : fds)
        QCOMPARE(::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL),
                 ssize_t(request.size()));
    for (const int fd : fds) {
        QByteArray answer;
        QTRY_VERIFY([&] {
            char chunk[4096];
            ssize_t n;
            while ((n = ::recv(fd, chunk, sizeof chunk, 0)) > 0)
                answer.append(chunk, n);
            return answer.contains("\r\n\r\n") && answer.endsWith("hello");
        }());
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    }
    const qint64 perConnection = (heapInUse() - before) / kConnections;
    for (const int fd : fds)
        ::close(fd);
    QTRY_COMPARE(m_server->connectionCount(), 0);
    // A socket's buffers and objects take a few KB; the read-ahead alone would be 256 KB.
    QVERIFY2(perConnection < 64 * 1024, qPrintable(QString::number(perConnection)));
}
