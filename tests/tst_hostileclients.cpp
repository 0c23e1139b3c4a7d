// Hostile clients against the real API server on a loopback port, over raw sockets: what a
// well-behaved client never sends, and what must stay bounded or be refused when one does
// (docs/architecture.md §6).
#include "tst_securityraw.h"

#include "server/apiserver.h"

#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace pw::server;

namespace {
const QByteArray kToken = "correct-horse-battery-staple-0123456789";
} // namespace

class TestHostileClients : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void metricsMethodLabelsAreBounded();
    void absoluteFormTargetIsCheckedAsHost_data();
    void absoluteFormTargetIsCheckedAsHost();
    void headOfAStaticFileHasItsLength();
    void originWithUserinfoIsRefused_data();
    void originWithUserinfoIsRefused();

private:
    QByteArray hostHeader() const { return "Host: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n"; }
    // Writes `requests` on one connection and reads until `answers` status lines arrived.
    QByteArray pipelined(const QByteArray &requests, int answers, int timeoutMs = 30'000);

    std::unique_ptr<ApiServer> m_server;
    quint16 m_port = 0;
};

void TestHostileClients::initTestCase()
{
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    m_server = std::make_unique<ApiServer>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_port = m_server->port();
}

QByteArray TestHostileClients::pipelined(const QByteArray &requests, int answers, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(3000))
        return {};
    socket.write(requests);
    QByteArray all;
    (void)QTest::qWaitFor([&] {
        all += socket.readAll();
        return all.count("HTTP/1.1 ") >= answers
            || socket.state() != QAbstractSocket::ConnectedState;
    }, timeoutMs);
    return all + socket.readAll();
}

// Every method a client invents would otherwise be a series of its own, forever: methods
// outside the standard set are counted as "other", also when the request is refused 401.
void TestHostileClients::metricsMethodLabelsAreBounded()
{
    const int kMethods = 2000;
    QByteArray requests;
    for (int i = 0; i < kMethods; ++i)
        requests += "XMETHOD" + QByteArray::number(i) + QByteArray(40, 'Q') + " /api/pulls HTTP/1.1\r\n"
            + hostHeader() + "\r\n";
    const QByteArray answers = pipelined(requests, kMethods);
    QCOMPARE(answers.count("HTTP/1.1 "), kMethods);

    const RawResponse metrics = rawRequest(
        m_port, rawHttp("GET", "/metrics", m_port, "Authorization: Bearer " + kToken + "\r\n"));
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.body.size() < 128 * 1024, QByteArray::number(metrics.body.size()).constData());
    QVERIFY(!metrics.body.contains("XMETHOD"));
    QVERIFY(metrics.body.contains("method=\"other\""));
    const QRegularExpression methodLabel(QStringLiteral("method=\"([^\"]*)\""));
    const QStringList allowed = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
                                 "other", "invalid"};
    auto it = methodLabel.globalMatch(QString::fromUtf8(metrics.body));
    int labels = 0;
    while (it.hasNext()) {
        const QString method = it.next().captured(1);
        QVERIFY2(allowed.contains(method), qPrintable(method));
        ++labels;
    }
    QVERIFY(labels > 0);
    QVERIFY(metrics.body.contains("\npullwatch_http_queued_bytes "));
    QVERIFY(metrics.body.contains("pullwatch_http_limited_total{limit=\"websocket_queue_full\"}"));
}

void TestHostileClients::absoluteFormTargetIsCheckedAsHost_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::newRow("foreign host") << QByteArray("http://evil.example/") << 403;
    QTest::newRow("foreign host with our port") << QByteArray("http://evil.example:%1/") << 403;
    QTest::newRow("our own name") << QByteArray("http://127.0.0.1:%1/") << 200;
    QTest::newRow("localhost") << QByteArray("http://localhost:%1/") << 200;
}

// RFC 9112 §3.2.2: an absolute-form target names the host; the Host header is ignored, so
// the DNS rebinding check must look at the target.
void TestHostileClients::absoluteFormTargetIsCheckedAsHost()
{
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    target.replace("%1", QByteArray::number(m_port));
    const RawResponse r =
        rawRequest(m_port, "GET " + target + " HTTP/1.1\r\n" + hostHeader() + "\r\n");
    QCOMPARE(r.status, status);
}

// RFC 9110 §9.3.2: HEAD answers with the headers GET would send, Content-Length included.
void TestHostileClients::headOfAStaticFileHasItsLength()
{
    const RawResponse get = rawRequest(m_port, rawHttp("GET", "/static/logs.js", m_port));
    QCOMPARE(get.status, 200);
    QVERIFY(get.body.size() > 100);
    const QByteArray head = pipelined("HEAD /static/logs.js HTTP/1.1\r\n" + hostHeader()
                                          + "\r\nGET /healthz HTTP/1.1\r\n" + hostHeader()
                                          + "Connection: close\r\n\r\n",
                                      2);
    const RawResponse headAnswer = parseRawResponse(head);
    QCOMPARE(headAnswer.status, 200);
    QCOMPARE(headAnswer.header("content-length"), QByteArray::number(get.body.size()));
    // No body: the next answer follows the head at once.
    QVERIFY2(head.mid(head.indexOf("\r\n\r\n") + 4).startsWith("HTTP/1.1 200"), head.constData());
}

void TestHostileClients::originWithUserinfoIsRefused_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("userinfo") << QByteArray("http://a@127.0.0.1:%1");
    QTest::newRow("user and password") << QByteArray("http://a:b@127.0.0.1:%1");
    QTest::newRow("empty userinfo") << QByteArray("http://@127.0.0.1:%1");
}

// RFC 6454 §6.2: an origin is scheme, host and port; one with userinfo is no browser's and
// is refused, for a WebSocket handshake and a state-changing request alike.
void TestHostileClients::originWithUserinfoIsRefused()
{
    QFETCH(QByteArray, origin);
    origin.replace("%1", QByteArray::number(m_port));
    const QByteArray ws = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + kToken + "\r\n";
    const RawResponse upgrade = rawRequest(
        m_port, rawHttp("GET", "/ws/image-pull-all", m_port, ws + "Origin: " + origin + "\r\n"));
    QCOMPARE(upgrade.status, 403);
    QVERIFY2(upgrade.body.contains("Origin"), upgrade.body.constData());
    const RawResponse post = rawRequest(
        m_port, rawHttp("POST", "/logout", m_port, "Origin: " + origin + "\r\n", "{}"));
    QCOMPARE(post.status, 403);
    // The same origin without userinfo passes this check.
    const QByteArray own = "http://127.0.0.1:" + QByteArray::number(m_port);
    QVERIFY(rawRequest(m_port, rawHttp("POST", "/logout", m_port, "Origin: " + own + "\r\n",
                                       "{}")).status != 403);
}

QTEST_GUILESS_MAIN(TestHostileClients)
#include "tst_hostileclients.moc"
