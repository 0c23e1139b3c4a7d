// docs/architecture.md §6: sessions of the embedded server — the login cookie, its expiry,
// logout (kept across a restart), and brute force of the login and of bearer tokens slowed
// down and refused; the token never written to the log.
#include "securityfixture.h"
#include "tst_securityraw.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pw::server;

class TestSecuritySessions : public SecurityFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startServer(); }
    void cleanupTestCase() { stopServer(); }
    void loginSetsSessionCookie();
    void sessionExpires();
    void logoutEndsSession();
    void logoutSurvivesARestart();
    void loginBruteForceIsThrottled();
    void bearerBruteForceIsThrottled();
    void tokenNeverLogged() { verifyTokenNeverLogged(); }
};

void TestSecuritySessions::loginSetsSessionCookie() {
    int status = 0;
    const RawResponse r = rawRequest(
        m_port, rawHttp("POST", "/login", m_port,
                        "Origin: http://127.0.0.1:" + QByteArray::number(m_port) + "\r\n",
                        "{\"token\":\"" + kToken + "\"}"));
    QCOMPARE(r.status, 200);
    const QByteArray cookie = r.header("set-cookie");
    QVERIFY2(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") &&
                 cookie.contains("Max-Age=3600") && cookie.contains("Path=/"),
             cookie.constData());
    QVERIFY2(!cookie.contains("Secure"), "no Secure flag over plain HTTP");
    QVERIFY(!cookie.contains(kToken));
    const QByteArray session = login(kToken, &status);
    QCOMPARE(status, 200);
    const RawResponse api = rawRequest(
        m_port, rawHttp("GET", "/api/version", m_port, "Cookie: other=1; " + session + "\r\n"));
    QCOMPARE(api.status, 200);
    const RawResponse state =
        rawRequest(m_port, rawHttp("GET", "/api/session", m_port, "Cookie: " + session + "\r\n"));
    QVERIFY(state.body.contains("\"authenticated\":true"));
}

void TestSecuritySessions::sessionExpires() {
    const QByteArray session = login(kToken);
    QCOMPARE(
        rawRequest(m_port, rawHttp("GET", "/api/version", m_port, "Cookie: " + session + "\r\n"))
            .status,
        200);
    m_clock.advance(3599 * 1000);
    QCOMPARE(
        rawRequest(m_port, rawHttp("GET", "/api/version", m_port, "Cookie: " + session + "\r\n"))
            .status,
        200);
    m_clock.advance(2 * 1000);
    QCOMPARE(
        rawRequest(m_port, rawHttp("GET", "/api/version", m_port, "Cookie: " + session + "\r\n"))
            .status,
        401);
}

void TestSecuritySessions::logoutEndsSession() {
    const QByteArray session = login(kToken);
    const QByteArray header = "Cookie: " + session + "\r\n";
    QCOMPARE(rawRequest(m_port, rawHttp("GET", "/api/version", m_port, header)).status, 200);
    const RawResponse out = rawRequest(m_port, rawHttp("POST", "/logout", m_port, header));
    QCOMPARE(out.status, 200);
    QVERIFY(out.header("set-cookie").contains("Max-Age=0"));
    QCOMPARE(rawRequest(m_port, rawHttp("GET", "/api/version", m_port, header)).status, 401);
}

// A logged-out session stays out after a restart with the same token (sessions are signed
// with it, so without the kept revocation the old cookie would be valid again); another
// session is not affected, and a garbled revocation file is read as far as it makes sense.
void TestSecuritySessions::logoutSurvivesARestart() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    config.clock = &m_clock;
    config.sessionTtlSeconds = 3600;
    config.revokedSessionsFile = dir.filePath(QStringLiteral("revoked-sessions"));
    QByteArray out;
    QByteArray kept;
    {
        ApiServer server(config);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const quint16 port = server.port();
        out = login(kToken, nullptr, port);
        kept = login(kToken, nullptr, port);
        QCOMPARE(rawRequest(port, rawHttp("POST", "/logout", port, "Cookie: " + out + "\r\n")).status,
                 200);
    }
    QFile file(config.revokedSessionsFile);
    QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    QVERIFY(file.open(QIODevice::Append));
    file.write("garbage\nnonce-without-expiry\n");
    file.close();
    ApiServer restarted(config);
    QString error;
    QVERIFY2(restarted.start(&error), qPrintable(error));
    const quint16 port = restarted.port();
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port, "Cookie: " + out + "\r\n")).status,
             401);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port, "Cookie: " + kept + "\r\n")).status,
             200);
}

void TestSecuritySessions::loginBruteForceIsThrottled() {
    m_clock.advance(11 * 60 * 1000); // a fresh window
    int status = 0;
    for (int i = 0; i < 5; ++i) {
        login("guess-" + QByteArray::number(i), &status);
        QCOMPARE(status, 401);
    }
    // The sixth guess is refused and says when to come back…
    const RawResponse refused =
        rawRequest(m_port, rawHttp("POST", "/login", m_port, {}, "{\"token\":\"guess-5\"}"));
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.header("retry-after"), QByteArray("60"));
    // …but the right token is not: it may come from someone else behind the same address.
    login(kToken, &status);
    QCOMPARE(status, 200);
    m_clock.advance(30 * 1000);
    QCOMPARE(rawRequest(m_port, rawHttp("POST", "/login", m_port, {}, "{\"token\":\"x\"}"))
                 .header("retry-after"),
             QByteArray("30"));
    m_clock.advance(31 * 1000);
    login("guess-6", &status);
    QCOMPARE(status, 401); // the ban is over
    const RawResponse metrics = rawRequest(
        m_port, rawHttp("GET", "/metrics", m_port, "Authorization: Bearer " + kToken + "\r\n"));
    QVERIFY(metrics.body.contains("pullwatch_auth_bans_total "));
    QVERIFY(metrics.body.contains("pullwatch_auth_refused_total{reason=\"throttled\"}"));
    QVERIFY(metrics.body.contains("pullwatch_http_limited_total{limit="));
}

// Behind kubectl port-forward, a NAT or a reverse proxy every client shares one address:
// ten wrong tokens from one misconfigured client must not lock out the right one, while the
// wrong ones are still slowed down and then refused.
void TestSecuritySessions::bearerBruteForceIsThrottled() {
    m_clock.advance(2 * 3600 * 1000); // a fresh window, past any earlier ban
    const auto get = [this](const QByteArray &authorization) {
        return rawRequest(m_port, rawHttp("GET", "/api/version", m_port,
                                          "Authorization: " + authorization + "\r\n"));
    };
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(get("Bearer g0").status, 401);
    QVERIFY2(timer.elapsed() >= 200, "a wrong credential is answered after a delay");
    QList<int> statuses;
    for (int i = 1; i < 10; ++i)
        statuses << get("Bearer g" + QByteArray::number(i)).status;
    QCOMPARE(statuses, (QList<int>{401, 401, 401, 401, 429, 429, 429, 429, 429}));
    const RawResponse refused = get("Bearer g10");
    QCOMPARE(refused.status, 429);
    QVERIFY(refused.header("retry-after").toInt() > 0);
    QCOMPARE(get("Bearer " + kToken).status, 200);
    QCOMPARE(get("bearer " + kToken).status, 200); // RFC 9110 §11.1: case-insensitive scheme
    QCOMPARE(get("Bearer g11").status, 429);       // the guesses are still refused
    m_clock.advance(10 * 60 * 1000);
    QCOMPARE(get("Bearer g12").status, 401);
    QCOMPARE(get("Bearer " + kToken).status, 200);
}

QTEST_GUILESS_MAIN(TestSecuritySessions)
#include "tst_security_sessions.moc"
