// docs/architecture.md §6 on the real WebSocket endpoints (an in-process simulated cluster, a token
// configured): an upgrade needs the token (bearer or session cookie) and, from a browser,
// this server's own Origin (RFC 6455 §10.2); an expired session is refused.
#include "wsfixture.h"

#include <QTest>
#include <QWebSocket>

#include "httpclient.h"
#include "testclock.h"

#include <QNetworkRequest>
#include <QSignalSpy>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::kube;
using namespace pw::kubesim;
using namespace pw::pulls;
using namespace pw::server;

namespace {
const QByteArray kToken = "ws-token-4f1d9a2b7c";
}

class TestSecurityWs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void upgrades_data();
    void upgrades();
    void expiredSessionRefused();

private:
    QByteArray session();
    // Opens /ws/image-pull-all; true when the handshake succeeded.
    bool open(const QByteArray &origin, const QList<QPair<QByteArray, QByteArray>> &headers);

    TestClock m_clock;
    std::unique_ptr<KubeSim> m_sim;
    KubeClient *m_kube = nullptr;
    WsTest::MemoryHistory m_history;
    std::unique_ptr<PullService> m_pulls;
    std::unique_ptr<ResponseCache> m_cache;
    std::unique_ptr<ApiServer> m_server;
};

void TestSecurityWs::initTestCase() {
    m_sim = std::make_unique<KubeSim>(KubeSimConfig{});
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));
    KubeConfig kc;
    kc.server = m_sim->url();
    const auto client = KubeClient::create(kc);
    QVERIFY2(client.ok(), qPrintable(client.error()));
    m_kube = client.value();
    m_pulls = std::make_unique<PullService>(m_kube, PullSettings{}, &m_history, Clock::system());
    m_pulls->start();
    m_cache = std::make_unique<ResponseCache>(Clock::system(), nullptr);
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    config.clock = &m_clock;
    config.sessionTtlSeconds = 600;
    m_server =
        std::make_unique<ApiServer>(config, ApiServices{m_pulls.get(), m_cache.get(), m_kube, {}});
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestSecurityWs::cleanupTestCase() {
    m_server->stop();
    m_server.reset();
    m_pulls->stop();
    m_pulls.reset();
    delete m_kube;
    m_sim->stop();
}

QByteArray TestSecurityWs::session() {
    HttpClient http;
    const HttpResult r =
        http.send("POST", QUrl(m_server->baseUrl() + QStringLiteral("/login")),
                  "{\"token\":\"" + kToken + "\"}", {{"Content-Type", "application/json"}});
    const QByteArray cookie = r.header("set-cookie");
    return cookie.left(cookie.indexOf(';'));
}

bool TestSecurityWs::open(const QByteArray &origin,
                          const QList<QPair<QByteArray, QByteArray>> &headers) {
    QNetworkRequest request(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/image-pull-all?v=2").arg(m_server->port())));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QWebSocket socket(QString::fromLatin1(origin));
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy failed(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    QStringList messages;
    connect(&socket, &QWebSocket::textMessageReceived, &socket,
            [&messages](const QString &m) { messages << m; });
    socket.open(request);
    (void)QTest::qWaitFor(
        [&] { return connected.count() || failed.count() || disconnected.count(); }, 5000);
    if (!connected.count())
        return false;
    socket.sendTextMessage(QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"*\"}"));
    (void)QTest::qWaitFor([&] { return !messages.isEmpty(); }, 5000);
    return !messages.isEmpty() && messages.first().contains(QStringLiteral("\"subscribed\""));
}

void TestSecurityWs::upgrades_data() {
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<bool>("useCookie");
    QTest::addColumn<bool>("accepted");
    const QByteArray bearer = "Bearer " + kToken;
    QTest::newRow("no token") << QByteArray() << QByteArray() << false << false;
    QTest::newRow("wrong bearer") << QByteArray() << QByteArray("Bearer nope") << false << false;
    QTest::newRow("bearer, no Origin (script)") << QByteArray() << bearer << false << true;
    QTest::newRow("cookie, own Origin (browser)")
        << QByteArray("http://127.0.0.1:PORT") << QByteArray() << true << true;
    QTest::newRow("cookie, foreign Origin")
        << QByteArray("http://evil.example") << QByteArray() << true << false;
    QTest::newRow("bearer, foreign Origin")
        << QByteArray("http://evil.example") << bearer << false << false;
    QTest::newRow("cookie, Origin of another local port")
        << QByteArray("http://127.0.0.1:1") << QByteArray() << true << false;
}

void TestSecurityWs::upgrades() {
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, authorization);
    QFETCH(bool, useCookie);
    QFETCH(bool, accepted);
    origin.replace("PORT", QByteArray::number(m_server->port()));
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    if (useCookie)
        headers.append({"Cookie", session()});
    QCOMPARE(open(origin, headers), accepted);
}

void TestSecurityWs::expiredSessionRefused() {
    const QByteArray cookie = session();
    const QByteArray origin = "http://127.0.0.1:" + QByteArray::number(m_server->port());
    QVERIFY(open(origin, {{"Cookie", cookie}}));
    m_clock.advance(601 * 1000);
    QVERIFY(!open(origin, {{"Cookie", cookie}}));
}

QTEST_GUILESS_MAIN(TestSecurityWs)
#include "tst_security_ws.moc"
