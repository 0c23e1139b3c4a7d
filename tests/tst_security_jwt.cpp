// docs/architecture.md §6: the platform's JSON Web Tokens and roles, and allowed origins, as a
// table of credentials × routes × expected answers against the real server on the simulated
// cluster. The tokens are built here by hand (HMAC with QMessageAuthenticationCode, RSA and
// ECDSA signatures with the openssl command), independently of the library that verifies them.
// Sessions, audit lines and bad keys: tst_security_jwt_audit.
#include "jwtserversfixture.h"
#include "tst_securityraw.h"

#include "testjwt.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QTest>

using namespace pw::server;

namespace {

using TestJwt::b64;
using TestJwt::json;
using TestJwt::signingInput;

// ECDSA signatures are DER for openssl and r‖s for JWS (RFC 7518 §3.4).
QByteArray derToRaw(const QByteArray &der, int size) {
    QByteArray raw;
    qsizetype i = 2; // SEQUENCE, length (short form for P-256)
    for (int n = 0; n < 2; ++n) {
        const int length = quint8(der.at(i + 1));
        QByteArray integer = der.mid(i + 2, length);
        while (integer.size() > size && integer.startsWith('\0'))
            integer.remove(0, 1);
        raw += QByteArray(size - integer.size(), '\0') + integer;
        i += 2 + length;
    }
    return raw;
}

} // namespace

class TestSecurityJwt : public JwtServersFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startServers(); }
    void cleanupTestCase() { stopServers(); }
    void requests_data();
    void requests();

private:
    QByteArray opensslSign(const QString &key, const QByteArray &data);
    QByteArray signedJwt(const QByteArray &alg, const QString &key, const QJsonObject &claims);
};

QByteArray TestSecurityJwt::opensslSign(const QString &key, const QByteArray &data) {
    QProcess p;
    p.start(QStringLiteral("openssl"), {QStringLiteral("dgst"), QStringLiteral("-sha256"),
                                        QStringLiteral("-sign"), m_dir.filePath(key)});
    p.write(data);
    p.closeWriteChannel();
    if (!p.waitForFinished(30'000) || p.exitCode() != 0)
        return {};
    return p.readAllStandardOutput();
}

QByteArray TestSecurityJwt::signedJwt(const QByteArray &alg, const QString &key,
                                      const QJsonObject &claims) {
    const QByteArray input = signingInput(alg, claims);
    QByteArray signature = opensslSign(key, input);
    if (alg.startsWith("ES"))
        signature = derToRaw(signature, 32);
    return input + '.' + b64(signature);
}

void TestSecurityJwt::requests_data() {
    QTest::addColumn<QByteArray>("server"); // hs, rs, es
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("headers"); // PORT is replaced by the server's port
    QTest::addColumn<int>("status");

    const QByteArray pull = "/images/pull";
    const QByteArray active = "/images/pull-active";
    const QByteArray ws = "/ws/image-pull-all";
    const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const auto bearer = [](const QByteArray &t) { return "Authorization: Bearer " + t + "\r\n"; };
    const auto cookie = [](const QByteArray &t) {
        return "Cookie: theme=dark; token=" + t + "\r\n";
    };
    const auto origin = [](const QByteArray &o) { return "Origin: " + o + "\r\n"; };

    const QByteArray admin =
        hmacJwt(platformClaims(m_clock, QStringLiteral("alice"), true), kSecret);
    const QByteArray viewer =
        hmacJwt(platformClaims(m_clock, QStringLiteral("bob"), false), kSecret);
    QJsonObject noAdminClaim = platformClaims(m_clock, QStringLiteral("carol"), false);
    noAdminClaim.remove(QStringLiteral("is_super_admin"));
    QJsonObject adminAsString = platformClaims(m_clock, QStringLiteral("dave"), false);
    adminAsString.insert(QStringLiteral("is_super_admin"), QStringLiteral("true"));
    const QByteArray expired =
        hmacJwt(platformClaims(m_clock, QStringLiteral("alice"), true, -61), kSecret);
    const QByteArray expiredInLeeway =
        hmacJwt(platformClaims(m_clock, QStringLiteral("alice"), true, -30), kSecret);
    QJsonObject noExp = platformClaims(m_clock, QStringLiteral("alice"), true);
    noExp.remove(QStringLiteral("exp"));
    QJsonObject notYet = platformClaims(m_clock, QStringLiteral("alice"), true);
    notYet.insert(QStringLiteral("nbf"), m_clock.now().toSecsSinceEpoch() + 120);
    QJsonObject nbfInLeeway = platformClaims(m_clock, QStringLiteral("alice"), true);
    nbfInLeeway.insert(QStringLiteral("nbf"), m_clock.now().toSecsSinceEpoch() + 30);
    const QJsonObject adminClaims = platformClaims(m_clock, QStringLiteral("alice"), true);
    const QByteArray forged = hmacJwt(adminClaims, "not-the-platform-secret-0123456789abcdef");
    const QByteArray unsignedJwt = signingInput("none", adminClaims) + '.';
    const QByteArray noneWithSignature = signingInput("none", adminClaims) + '.' + b64("x");
    // The payload changed after signing: a viewer turning itself into an admin.
    QByteArray tampered = viewer;
    {
        const QList<QByteArray> parts = viewer.split('.');
        tampered = parts[0] + '.' + b64(json(adminClaims)) + '.' + parts[2];
    }
    QFile rsaPub(m_dir.filePath(QStringLiteral("rsa.pub")));
    rsaPub.open(QIODevice::ReadOnly);
    const QByteArray publicPem = rsaPub.readAll();

    // The identity provider's tokens (rs): issuer, audience and its own operator claim.
    const qint64 now = m_clock.now().toSecsSinceEpoch();
    const QJsonObject idp{
        {QStringLiteral("sub"), QStringLiteral("u-17")},
        {QStringLiteral("username"), QStringLiteral("erin")},
        {QStringLiteral("iss"), QStringLiteral("https://idp.example.com")},
        {QStringLiteral("aud"), QJsonArray{QStringLiteral("other"), QStringLiteral("pullwatch")}},
        {QStringLiteral("pullwatch_operator"), true},
        {QStringLiteral("exp"), now + 600}};
    QJsonObject idpViewer = idp;
    idpViewer.remove(QStringLiteral("pullwatch_operator"));
    idpViewer.insert(QStringLiteral("is_super_admin"), true); // not the configured claim
    QJsonObject wrongIssuer = idp;
    wrongIssuer.insert(QStringLiteral("iss"), QStringLiteral("https://evil.example.com"));
    QJsonObject wrongAudience = idp;
    wrongAudience.insert(QStringLiteral("aud"), QStringLiteral("someone-else"));
    QJsonObject noAudience = idp;
    noAudience.remove(QStringLiteral("aud"));
    const QByteArray rsAdmin = signedJwt("RS256", QStringLiteral("rsa.key"), idp);
    // HS/RS confusion: HMAC keyed with the server's own public key.
    const QByteArray confused = hmacJwt(idp, publicPem);
    const QByteArray esAdmin = signedJwt("ES256", QStringLiteral("ec.key"), adminClaims);
    // A header naming two algorithms, HMAC-signed with the public key: whichever one a
    // JSON parser keeps, the pinned one must be the one verified.
    const auto twoAlgs = [&](const QByteArray &header) {
        const QByteArray input = b64(header) + '.' + b64(json(idp));
        return input + '.' +
               b64(QMessageAuthenticationCode::hash(input, publicPem, QCryptographicHash::Sha256));
    };

    struct Row {
        const char *name;
        QByteArray server, method, target, headers;
        int status;
    };
    const Row rows[] = {
        // The platform's HS256 tokens.
        {"admin JWT as bearer starts a pull", "hs", "POST", pull, bearer(admin), 200},
        {"admin JWT as cookie reads", "hs", "GET", active, cookie(admin), 200},
        {"admin JWT as cookie cancels (passes the gate)", "hs", "DELETE", pull + "/no-such-job",
         cookie(admin), 404},
        {"admin JWT with lower-case scheme", "hs", "GET", active,
         "Authorization: bearer " + admin + "\r\n", 200},
        {"admin JWT signed HS512", "hs", "POST", pull,
         bearer(hmacJwt(adminClaims, kSecret, "HS512")), 200},
        {"viewer JWT reads", "hs", "GET", active, bearer(viewer), 200},
        {"viewer JWT reads metrics", "hs", "GET", "/metrics", bearer(viewer), 200},
        {"viewer JWT as cookie reads", "hs", "GET", active, cookie(viewer), 200},
        {"viewer JWT may not start a pull", "hs", "POST", pull, bearer(viewer), 403},
        {"viewer JWT cookie may not cancel", "hs", "DELETE", pull + "/no-such-job", cookie(viewer),
         403},
        {"viewer JWT may not retry", "hs", "POST", pull + "/no-such-job/retry", bearer(viewer),
         403},
        {"viewer JWT opens a WebSocket", "hs", "GET", ws, bearer(viewer) + upgrade, 101},
        {"JWT without the admin claim is a viewer", "hs", "POST", pull,
         bearer(hmacJwt(noAdminClaim, kSecret)), 403},
        {"admin claim as a string is not true", "hs", "POST", pull,
         bearer(hmacJwt(adminAsString, kSecret)), 403},
        {"expired JWT", "hs", "GET", active, bearer(expired), 401},
        {"expired JWT cookie", "hs", "GET", active, cookie(expired), 401},
        {"expired 30 s ago, within the leeway", "hs", "GET", active, bearer(expiredInLeeway), 200},
        {"JWT without exp", "hs", "GET", active, bearer(hmacJwt(noExp, kSecret)), 401},
        {"JWT not valid before 120 s from now", "hs", "GET", active,
         bearer(hmacJwt(notYet, kSecret)), 401},
        {"JWT valid 30 s from now, within the leeway", "hs", "GET", active,
         bearer(hmacJwt(nbfInLeeway, kSecret)), 200},
        {"forged JWT (another secret)", "hs", "GET", active, bearer(forged), 401},
        {"forged JWT cookie", "hs", "GET", active, cookie(forged), 401},
        {"tampered payload", "hs", "POST", pull, bearer(tampered), 401},
        {"alg none without signature", "hs", "GET", active, bearer(unsignedJwt), 401},
        {"alg none with a signature", "hs", "GET", active, bearer(noneWithSignature), 401},
        {"RS256 JWT on the shared-secret server", "hs", "GET", active, bearer(rsAdmin), 401},
        {"JWT in another cookie", "hs", "GET", active, "Cookie: jwt=" + admin + "\r\n", 401},
        {"garbage bearer", "hs", "GET", active, bearer("a.b.c"), 401},
        {"the API token is still an operator", "hs", "POST", pull, bearer(kToken), 200},
        // An identity provider's RS256 tokens.
        {"RS256 operator JWT starts a pull", "rs", "POST", pull, bearer(rsAdmin), 200},
        {"RS256 JWT without the configured claim is a viewer", "rs", "POST", pull,
         bearer(signedJwt("RS256", QStringLiteral("rsa.key"), idpViewer)), 403},
        {"RS256 viewer reads", "rs", "GET", active,
         bearer(signedJwt("RS256", QStringLiteral("rsa.key"), idpViewer)), 200},
        {"wrong issuer", "rs", "GET", active,
         bearer(signedJwt("RS256", QStringLiteral("rsa.key"), wrongIssuer)), 401},
        {"wrong audience", "rs", "GET", active,
         bearer(signedJwt("RS256", QStringLiteral("rsa.key"), wrongAudience)), 401},
        {"no audience", "rs", "GET", active,
         bearer(signedJwt("RS256", QStringLiteral("rsa.key"), noAudience)), 401},
        {"HS256 keyed with the RSA public key (alg confusion)", "rs", "GET", active,
         bearer(confused), 401},
        {"platform HS256 JWT on the RSA server", "rs", "GET", active, bearer(admin), 401},
        {"header with alg HS256 then RS256", "rs", "GET", active,
         bearer(twoAlgs("{\"alg\":\"HS256\",\"alg\":\"RS256\"}")), 401},
        {"header with alg RS256 then HS256", "rs", "GET", active,
         bearer(twoAlgs("{\"alg\":\"RS256\",\"alg\":\"HS256\"}")), 401},
        // An EC key.
        {"ES256 JWT", "es", "POST", pull, bearer(esAdmin), 200},
        {"ES256 JWT as cookie", "es", "GET", active, cookie(esAdmin), 200},
        {"RS256 JWT on the EC server", "es", "GET", active, bearer(rsAdmin), 401},
        // Allowed and foreign origins.
        {"allowed origin starts a pull", "hs", "POST", pull, bearer(admin) + origin(kAllowed), 200},
        {"allowed origin with a cookie", "hs", "POST", pull, cookie(admin) + origin(kAllowed), 200},
        {"allowed origin, default port spelled out", "hs", "POST", pull,
         bearer(admin) + origin(kAllowed + ":443"), 200},
        {"allowed origin opens a WebSocket", "hs", "GET", ws,
         cookie(viewer) + origin(kAllowed) + upgrade, 101},
        {"allowed origin, viewer may not POST", "hs", "POST", pull,
         cookie(viewer) + origin(kAllowed), 403},
        {"allowed origin without credentials", "hs", "GET", active, origin(kAllowed), 401},
        {"foreign origin may not POST", "hs", "POST", pull,
         cookie(admin) + origin("https://evil.example.com"), 403},
        {"allowed host over http is another origin", "hs", "POST", pull,
         cookie(admin) + origin("http://platform.example.com"), 403},
        {"allowed origin's subdomain is another origin", "hs", "POST", pull,
         cookie(admin) + origin("https://a.platform.example.com"), 403},
        {"foreign origin may not open a WebSocket", "hs", "GET", ws,
         cookie(admin) + origin("https://evil.example.com") + upgrade, 403},
        {"preflight from the allowed origin", "hs", "OPTIONS", pull,
         origin(kAllowed) +
             "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: "
             "authorization, content-type\r\n",
         204},
        {"preflight from a foreign origin", "hs", "OPTIONS", pull,
         origin("https://evil.example.com") + "Access-Control-Request-Method: POST\r\n", 403},
        {"OPTIONS that is not a preflight", "hs", "OPTIONS", pull, bearer(admin), 405},
    };
    for (const Row &row : rows)
        QTest::newRow(row.name) << row.server << row.method << row.target << row.headers
                                << row.status;
}

void TestSecurityJwt::requests() {
    QFETCH(QByteArray, server);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    const ApiServer *s = server == "hs" ? m_hs.get() : server == "rs" ? m_rs.get() : m_es.get();
    const quint16 port = s->port();
    const QByteArray body = method == "POST" && target == "/images/pull"
                                ? QByteArray("{\"names\":[\"nginx:1.27\"]}")
                                : QByteArray();
    const RawResponse r = rawRequest(port, rawHttp(method, target, port, headers, body));
    QVERIFY2(r.status == status, qPrintable(QStringLiteral("%1 instead of %2: %3")
                                                .arg(r.status)
                                                .arg(status)
                                                .arg(QString::fromUtf8(r.body))));
    if (status == 401)
        QVERIFY(r.header("www-authenticate").startsWith("Bearer"));
    if (status == 403 && !headers.contains("Origin: "))
        QVERIFY2(r.body.contains("needs the operator role") && r.body.contains("viewer"),
                 r.body.constData());
    if (status == 200 && method == "POST")
        QVERIFY2(r.body.contains("\"job_ids\":[\""), r.body.constData());
    // CORS: the allowed origin, never "*", with credentials; nothing for any other origin.
    // (WebSockets are outside CORS; QWebSocketServer's handshake names an origin itself.)
    const bool allowed = headers.contains("Origin: " + kAllowed);
    if (status == 101) {
        return;
    } else if (allowed) {
        QVERIFY(r.header("access-control-allow-origin").startsWith(kAllowed));
        QCOMPARE(r.header("access-control-allow-credentials"), QByteArray("true"));
        QVERIFY(r.header("vary").contains("Origin"));
    } else {
        QVERIFY2(r.header("access-control-allow-origin").isEmpty(),
                 r.header("access-control-allow-origin").constData());
    }
    if (status == 204) {
        QVERIFY(r.header("access-control-allow-methods").contains("POST"));
        QVERIFY(r.header("access-control-allow-methods").contains("DELETE"));
        QVERIFY(r.header("access-control-allow-headers").contains("Authorization"));
    }
}

QTEST_GUILESS_MAIN(TestSecurityJwt)
#include "tst_security_jwt.moc"
