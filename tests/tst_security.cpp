// docs/architecture.md §6: who may reach the embedded server, as a table of requests with the
// answers expected — no token, wrong token, expired session, foreign Origin on POST and on
// WebSocket upgrades, rebinding Host, oversized body/header/URL, too many connections from
// one address (tst_security_limits), path traversal in static paths; sessions and login
// brute force in tst_security_sessions.
#include "securityfixture.h"
#include "tst_securityraw.h"

#include "server/authgate.h"
#include "server/staticfiles.h"
#include "server/tokenentropy.h"

#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <vector>

using namespace pw::server;

class TestSecurity : public SecurityFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startServer(); }
    void cleanupTestCase() { stopServer(); }
    void requests_data();
    void requests();
    void staticFilesCarrySecurityHeaders();
    void loopbackWithoutTokenIsOpenButStillChecksOriginAndHost();
    void tokenEntropy_data();
    void tokenEntropy();
    void tokenNeverLogged() { verifyTokenNeverLogged(); }
};

void TestSecurity::requests_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("host"); // empty: 127.0.0.1:<port>; "-": none
    QTest::addColumn<int>("status");

    const QByteArray bearer = "Authorization: Bearer " + kToken + "\r\n";
    // PORT is replaced by the server's port in requests().
    // Authentication.
    QTest::newRow("healthz open without token")
        << QByteArray("GET") << QByteArray("/healthz") << QByteArray() << QByteArray()
        << QByteArray() << 200;
    QTest::newRow("healthz open under any Host")
        << QByteArray("GET") << QByteArray("/healthz") << QByteArray() << QByteArray()
        << QByteArray("evil.example") << 200;
    QTest::newRow("readyz open for Kubernetes probes")
        << QByteArray("GET") << QByteArray("/readyz") << QByteArray() << QByteArray()
        << QByteArray() << 503;
    QTest::newRow("api without token") << QByteArray("GET") << QByteArray("/api/version")
                                       << QByteArray() << QByteArray() << QByteArray() << 401;
    QTest::newRow("pulls without token") << QByteArray("GET") << QByteArray("/images/pull-active")
                                         << QByteArray() << QByteArray() << QByteArray() << 401;
    QTest::newRow("metrics without token") << QByteArray("GET") << QByteArray("/metrics")
                                           << QByteArray() << QByteArray() << QByteArray() << 401;
    QTest::newRow("wrong bearer") << QByteArray("GET") << QByteArray("/api/version")
                                  << QByteArray("Authorization: Bearer nope\r\n") << QByteArray()
                                  << QByteArray() << 401;
    QTest::newRow("token prefix is not the token")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray("Authorization: Bearer " + kToken.left(10) + "\r\n") << QByteArray()
        << QByteArray() << 401;
    QTest::newRow("basic auth is not accepted")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray("Authorization: Basic " + kToken.toBase64() + "\r\n") << QByteArray()
        << QByteArray() << 401;
    QTest::newRow("token in the URL is not accepted")
        << QByteArray("GET") << QByteArray("/api/version?token=" + kToken) << QByteArray()
        << QByteArray() << QByteArray() << 401;
    QTest::newRow("forged session cookie")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray("Cookie: pullwatch_session=9999999999.AAAA.BBBB\r\n") << QByteArray()
        << QByteArray() << 401;
    QTest::newRow("right bearer") << QByteArray("GET") << QByteArray("/api/version") << bearer
                                  << QByteArray() << QByteArray() << 200;
    QTest::newRow("lower-case bearer scheme")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray("Authorization: bearer " + kToken + "\r\n") << QByteArray() << QByteArray()
        << 200;
    QTest::newRow("upper-case bearer scheme, extra spaces")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray("Authorization: BEARER   " + kToken + "\r\n") << QByteArray() << QByteArray()
        << 200;
    QTest::newRow("bearer scheme without a token")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray("Authorization: Bearer\r\n") << QByteArray() << QByteArray() << 401;
    QTest::newRow("login page open") << QByteArray("GET") << QByteArray("/") << QByteArray()
                                     << QByteArray() << QByteArray() << 200;
    QTest::newRow("static asset open") << QByteArray("GET") << QByteArray("/static/app.js")
                                       << QByteArray() << QByteArray() << QByteArray() << 200;
    QTest::newRow("session state open") << QByteArray("GET") << QByteArray("/api/session")
                                        << QByteArray() << QByteArray() << QByteArray() << 200;
    // DNS rebinding: on loopback only our own names.
    QTest::newRow("rebinding Host refused")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("evil.example:PORT") << 403;
    QTest::newRow("rebinding Host refused for the UI")
        << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray()
        << QByteArray("evil.example:PORT") << 403;
    QTest::newRow("Host evil name on our port refused")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("rebind.evil.example:PORT") << 403;
    QTest::newRow("Host loopback IP spelled otherwise refused")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("2130706433:PORT") << 403;
    QTest::newRow("Host with another port accepted (SSH tunnel)")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("localhost:9000") << 200;
    QTest::newRow("Origin through a tunnel matches its Host")
        << QByteArray("POST") << QByteArray("/images/pull")
        << QByteArray(bearer + "Origin: http://localhost:9000\r\n")
        << QByteArray("{\"names\":[\"nginx:1\"]}") << QByteArray("localhost:9000") << 503;
    QTest::newRow("Origin of another local port refused")
        << QByteArray("POST") << QByteArray("/images/pull")
        << QByteArray(bearer + "Origin: http://127.0.0.1:9999\r\n") << QByteArray("{}")
        << QByteArray() << 403;
    QTest::newRow("Host localhost accepted")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("localhost:PORT") << 200;
    QTest::newRow("Host [::1] accepted")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("[::1]:PORT") << 200;
    QTest::newRow("no Host (HTTP/1.0 tool) accepted")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("-") << 200;
    QTest::newRow("no Host on HTTP/1.1 refused")
        << QByteArray("GET") << QByteArray("/api/version") << bearer << QByteArray()
        << QByteArray("none") << 400;
    // Cross-site requests (CSRF) on state-changing methods.
    QTest::newRow("foreign Origin on POST")
        << QByteArray("POST") << QByteArray("/images/pull")
        << QByteArray(bearer + "Origin: http://evil.example\r\n")
        << QByteArray("{\"names\":[\"nginx:1\"]}") << QByteArray() << 403;
    QTest::newRow("foreign Origin on DELETE")
        << QByteArray("DELETE") << QByteArray("/images/pull/x")
        << QByteArray(bearer + "Origin: http://evil.example\r\n") << QByteArray() << QByteArray()
        << 403;
    QTest::newRow("foreign Origin on login")
        << QByteArray("POST") << QByteArray("/login")
        << QByteArray("Origin: http://evil.example\r\n")
        << QByteArray("{\"token\":\"" + kToken + "\"}") << QByteArray() << 403;
    QTest::newRow("null Origin on POST")
        << QByteArray("POST") << QByteArray("/images/pull")
        << QByteArray(bearer + "Origin: null\r\n") << QByteArray("{}") << QByteArray() << 403;
    QTest::newRow("https Origin for an http server")
        << QByteArray("POST") << QByteArray("/images/pull")
        << QByteArray(bearer + "Origin: https://127.0.0.1:PORT\r\n") << QByteArray("{}")
        << QByteArray() << 403;
    QTest::newRow("own Origin on POST passes the gate")
        << QByteArray("POST") << QByteArray("/images/pull")
        << QByteArray(bearer + "Origin: http://127.0.0.1:PORT\r\n")
        << QByteArray("{\"names\":[\"nginx:1\"]}") << QByteArray() << 503;
    QTest::newRow("foreign Origin on GET is harmless")
        << QByteArray("GET") << QByteArray("/api/version")
        << QByteArray(bearer + "Origin: http://evil.example\r\n") << QByteArray() << QByteArray()
        << 200;
    QTest::newRow("foreign Origin on WebSocket upgrade")
        << QByteArray("GET") << QByteArray("/ws/image-pull-all")
        << QByteArray(bearer + "Origin: http://evil.example\r\nUpgrade: websocket\r\nConnection: "
                               "Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                               "dGhlIHNhbXBsZSBub25jZQ==\r\n")
        << QByteArray() << QByteArray() << 403;
    QTest::newRow("WebSocket upgrade without token")
        << QByteArray("GET") << QByteArray("/ws/image-pull-all")
        << QByteArray("Origin: http://127.0.0.1:PORT\r\nUpgrade: websocket\r\nConnection: "
                      "Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                      "dGhlIHNhbXBsZSBub25jZQ==\r\n")
        << QByteArray() << QByteArray() << 401;
    // Limits the server enforces itself.
    QTest::newRow("oversized body") << QByteArray("POST") << QByteArray("/login") << QByteArray()
                                    << QByteArray((1 << 20) + 1, 'x') << QByteArray() << 413;
    QTest::newRow("oversized header") << QByteArray("GET") << QByteArray("/healthz")
                                      << QByteArray("X-Big: " + QByteArray(17 * 1024, 'h') + "\r\n")
                                      << QByteArray() << QByteArray() << 431;
    QTest::newRow("oversized URL")
        << QByteArray("GET") << QByteArray("/healthz?" + QByteArray(9 * 1024, 'u')) << QByteArray()
        << QByteArray() << QByteArray() << 414;
    // Static files only from the resources.
    QTest::newRow("traversal ..") << QByteArray("GET") << QByteArray("/static/../index.html")
                                  << QByteArray() << QByteArray() << QByteArray() << 400;
    QTest::newRow("traversal %2e%2e")
        << QByteArray("GET") << QByteArray("/static/%2e%2e/index.html") << QByteArray()
        << QByteArray() << QByteArray() << 400;
    QTest::newRow("traversal %2E%2E uppercase")
        << QByteArray("GET") << QByteArray("/static/%2E%2E/%2E%2E/etc/passwd") << QByteArray()
        << QByteArray() << QByteArray() << 400;
    QTest::newRow("encoded slash")
        << QByteArray("GET") << QByteArray("/static/..%2f..%2fetc%2fpasswd") << QByteArray()
        << QByteArray() << QByteArray() << 400;
    QTest::newRow("encoded backslash")
        << QByteArray("GET") << QByteArray("/static/..%5c..%5cindex.html") << QByteArray()
        << QByteArray() << QByteArray() << 400;
    QTest::newRow("NUL byte") << QByteArray("GET") << QByteArray("/static/app.js%00.png")
                              << QByteArray() << QByteArray() << QByteArray() << 400;
    QTest::newRow("absolute resource path")
        << QByteArray("GET") << QByteArray("/static/:/web/index.html") << QByteArray()
        << QByteArray() << QByteArray() << 404;
    QTest::newRow("unknown static file") << QByteArray("GET") << QByteArray("/static/secret.txt")
                                         << QByteArray() << QByteArray() << QByteArray() << 404;
    QTest::newRow("hidden file name") << QByteArray("GET") << QByteArray("/static/.htaccess")
                                      << QByteArray() << QByteArray() << QByteArray() << 404;
}

void TestSecurity::requests() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    const QByteArray port = QByteArray::number(m_port);
    headers.replace("PORT", port);
    host.replace("PORT", port);
    QByteArray request =
        rawHttp(method, target, m_port, headers, body, host == "-" ? QByteArray("x") : host);
    if (host == "-") // an HTTP/1.0 tool; HTTP/1.1 requires Host (RFC 9112 §3.2)
        request.replace("Host: x\r\n", "").replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n");
    if (host == "none")
        request.replace("Host: none\r\n", "");
    const RawResponse r = rawRequest(m_port, request);
    QCOMPARE(r.status, status);
    if (status == 401)
        QVERIFY(r.header("www-authenticate").startsWith("Bearer"));
    if (status == 403 && headers.contains("Origin: ") && !headers.contains(port))
        QVERIFY2(r.body.contains("RFC 6455"), r.body.constData());
}

void TestSecurity::staticFilesCarrySecurityHeaders() {
    for (const QByteArray &target :
         {QByteArray("/"), QByteArray("/static/app.js"), QByteArray("/static/style.css")}) {
        const RawResponse r = rawRequest(m_port, rawHttp("GET", target, m_port));
        QCOMPARE(r.status, 200);
        const QByteArray csp = r.header("content-security-policy");
        QVERIFY2(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                 csp.constData());
        QVERIFY(csp.contains("frame-ancestors 'none'"));
        QCOMPARE(r.header("x-frame-options"), QByteArray("DENY"));
        QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(r.header("referrer-policy"), QByteArray("no-referrer"));
        QVERIFY(!r.header("etag").isEmpty());
        QVERIFY(!r.header("cache-control").isEmpty());
        // Revalidation is cheap.
        const RawResponse again = rawRequest(
            m_port, rawHttp("GET", target, m_port, "If-None-Match: " + r.header("etag") + "\r\n"));
        QCOMPARE(again.status, 304);
    }
    QVERIFY(rawRequest(m_port, rawHttp("GET", "/", m_port))
                .header("content-type")
                .startsWith("text/html"));
    QVERIFY(rawRequest(m_port, rawHttp("GET", "/static/app.js", m_port))
                .header("content-type")
                .startsWith("text/javascript"));
    QVERIFY(rawRequest(m_port, rawHttp("GET", "/static/style.css", m_port))
                .header("content-type")
                .startsWith("text/css"));
    QVERIFY(rawRequest(m_port, rawHttp("GET", "/static/icons/logo.svg", m_port))
                .header("content-type")
                .startsWith("image/svg+xml"));
    // The page has no inline script and loads nothing from elsewhere.
    const QByteArray html = rawRequest(m_port, rawHttp("GET", "/", m_port)).body;
    QVERIFY(!html.contains("<script>"));
    QVERIFY(!html.contains("http://") && !html.contains("https://"));
}

void TestSecurity::loopbackWithoutTokenIsOpenButStillChecksOriginAndHost() {
    ServerConfig config;
    config.port = 0;
    config.clock = &m_clock;
    ApiServer open(config);
    QString error;
    QVERIFY2(open.start(&error), qPrintable(error));
    const quint16 port = open.port();
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port)).status, 200);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port, {}, {},
                                      "evil.example:" + QByteArray::number(port)))
                 .status,
             403);
    QCOMPARE(rawRequest(port, rawHttp("POST", "/images/pull", port,
                                      "Origin: http://evil.example\r\n", "{}"))
                 .status,
             403);
    QVERIFY(
        rawRequest(port, rawHttp("GET", "/api/session", port)).body.contains("\"required\":false"));
}

void TestSecurity::tokenEntropy_data() {
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("accepted");
    // 32 bytes from /dev/urandom.
    const QByteArray random =
        QByteArray::fromHex("3f9a0c7e5b21d84f6a0e9c3b7d15f2a8c4e6b9d0a1f3e5c7b2d4f6a8e0c1b3d5");
    QTest::newRow("base64 of 32 random bytes") << QString::fromLatin1(random.toBase64()) << true;
    QTest::newRow("base64url of 32 random bytes")
        << QString::fromLatin1(
               random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
        << true;
    QTest::newRow("hex of 16 bytes (128 bits)")
        << QString::fromLatin1(random.left(16).toHex()) << true;
    QTest::newRow("hex of 15 bytes") << QString::fromLatin1(random.left(15).toHex()) << false;
    QTest::newRow("the test token") << QString::fromLatin1(kToken) << true;
    QTest::newRow("short word") << QStringLiteral("secret") << false;
    QTest::newRow("one character repeated") << QString(100, u'x') << false;
    QTest::newRow("two characters alternating") << QStringLiteral("ab").repeated(60) << false;
    QTest::newRow("word and digits") << QStringLiteral("env-token-0123456789") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestSecurity::tokenEntropy() {
    QFETCH(QString, token);
    QFETCH(bool, accepted);
    const double bits = TokenEntropy::estimateBits(token);
    QVERIFY2((bits >= TokenEntropy::kMinimumBits) == accepted, qPrintable(QString::number(bits)));
}

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
