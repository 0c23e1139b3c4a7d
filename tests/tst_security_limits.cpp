// The limits the server enforces itself (Qt 6.4 has none) — connections per
// address and in total, requests that never finish, idle connections — each answered with
// its status and counted in /metrics.
#include "tst_securityraw.h"

#include "server/apiserver.h"

#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace pw::http;
using namespace pw::server;

namespace {
const QByteArray kToken = "correct-horse-battery-staple-0123456789";

// The values of every Retry-After header of `r`, in order.
QList<QByteArray> retryAfters(const RawResponse &r) {
    QList<QByteArray> values;
    for (const auto &[name, value] : r.headers)
        if (name == "retry-after")
            values << value;
    return values;
}
} // namespace

class TestSecurityLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tooManyConnectionsFromOneAddress();
    void slowAndIdleConnectionsAreCut();

private:
    std::unique_ptr<ApiServer> m_server;
    quint16 m_port = 0;
};

void TestSecurityLimits::initTestCase() {
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    m_server = std::make_unique<ApiServer>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_port = m_server->port();
}

void TestSecurityLimits::tooManyConnectionsFromOneAddress() {
    QTRY_COMPARE(m_server->http().connectionCount(), 0); // earlier tests' connections are gone
    HttpLimits limits = m_server->http().limits();
    const HttpLimits saved = limits;
    limits.maxConnectionsPerAddress = 3;
    m_server->http().setLimits(limits);
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        held.back()->connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(held.back()->waitForConnected(3000));
    }
    QTRY_COMPARE(m_server->http().connectionCount(), 3);
    const RawResponse r = rawRequest(m_port, rawHttp("GET", "/healthz", m_port));
    QCOMPARE(r.status, 429);
    QCOMPARE(retryAfters(r), QList<QByteArray>{"1"});
    QVERIFY(m_server->http().limitCount(HttpServer::Limit::TooManyFromAddress) >= 1);
    held.clear();
    QTRY_COMPARE(m_server->http().connectionCount(), 0);
    // And in total: 503 beyond the server's maximum.
    limits.maxConnectionsPerAddress = 100;
    limits.maxConnections = 2;
    m_server->http().setLimits(limits);
    for (int i = 0; i < 2; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        held.back()->connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(held.back()->waitForConnected(3000));
    }
    QTRY_COMPARE(m_server->http().connectionCount(), 2);
    const RawResponse busy = rawRequest(m_port, rawHttp("GET", "/healthz", m_port));
    QCOMPARE(busy.status, 503);
    // The engine's one Retry-After, not also the 5 s of the server's other 503s.
    QCOMPARE(retryAfters(busy), QList<QByteArray>{"1"});
    QVERIFY(m_server->http().limitCount(HttpServer::Limit::TooManyConnections) >= 1);
    held.clear();
    QTRY_COMPARE(m_server->http().connectionCount(), 0);
    m_server->http().setLimits(saved);
    QCOMPARE(rawRequest(m_port, rawHttp("GET", "/healthz", m_port)).status, 200);
}

void TestSecurityLimits::slowAndIdleConnectionsAreCut() {
    const HttpLimits saved = m_server->http().limits();
    HttpLimits limits = saved;
    limits.requestTimeoutMs = 300;
    limits.idleTimeoutMs = 300;
    m_server->http().setLimits(limits);
    const quint64 timeoutsBefore = m_server->http().limitCount(HttpServer::Limit::RequestTimeout);
    const quint64 idleBefore = m_server->http().limitCount(HttpServer::Limit::IdleTimeout);
    // A request that never finishes (slowloris) is answered 408.
    const RawResponse slow =
        rawRequest(m_port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n", 3000);
    QCOMPARE(slow.status, 408);
    QCOMPARE(m_server->http().limitCount(HttpServer::Limit::RequestTimeout), timeoutsBefore + 1);
    // A connection that sends nothing is closed.
    QTcpSocket idle;
    idle.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(idle.waitForConnected(3000));
    QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QAbstractSocket::UnconnectedState, 3000);
    QVERIFY(m_server->http().limitCount(HttpServer::Limit::IdleTimeout) > idleBefore);
    m_server->http().setLimits(saved);
    const RawResponse metrics = rawRequest(
        m_port, rawHttp("GET", "/metrics", m_port, "Authorization: Bearer " + kToken + "\r\n"));
    QVERIFY(metrics.body.contains("limit=\"request_timeout\""));
}

QTEST_GUILESS_MAIN(TestSecurityLimits)
#include "tst_security_limits.moc"
