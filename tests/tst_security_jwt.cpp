// docs/architecture.md §6: the platform's JSON Web Tokens and roles, and allowed origins, as a
// table of credentials × routes × expected answers against the real server on the simulated
// cluster. The tokens are built here by hand (HMAC with QMessageAuthenticationCode, RSA and
// ECDSA signatures with the openssl command), independently of the library that verifies them.
#include "tst_securityraw.h"

#include "clusterservices.h"
#include "testclock.h"
#include "testjwt.h"

#include "cache/responsecache.h"
#include "core/clock.h"
#include "pulls/pullservice.h"
#include "server/apiserver.h"
#include "server/jwtverifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace pw::core;
using namespace pw::server;

namespace {

const QByteArray kToken = "jwt-suite-token-5e2b8c1f7a4d9e3b6c0f2a8d4e1b7c9f";
const QByteArray kSecret = "the-platform-signing-secret-7d3f9a1c5e8b2d4f6a0c";
const QByteArray kAllowed = "https://platform.example.com";
QStringList g_log;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message) {
    g_log.append(message);
}

using TestJwt::b64;
using TestJwt::json;
using TestJwt::signingInput;

QByteArray hmacJwt(const QJsonObject &claims, const QByteArray &secret,
                   const QByteArray &alg = "HS256") {
    return TestJwt::hmac(claims, secret, alg);
}

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

QJsonObject platformClaims(const Clock &clock, const QString &user, bool admin,
                           qint64 expIn = 3600) {
    return TestJwt::platformClaims(clock.now().toSecsSinceEpoch(), user, admin, expIn);
}

} // namespace

class TestSecurityJwt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void requests_data();
    void requests();
    void sessionNamesTheRole();
    void auditLinesForStateChanges();
    void badKeysStopStartup_data();
    void badKeysStopStartup();

private:
    QByteArray opensslSign(const QString &key, const QByteArray &data);
    QByteArray signedJwt(const QByteArray &alg, const QString &key, const QJsonObject &claims);
    std::unique_ptr<ApiServer> startServer(std::shared_ptr<const JwtVerifier> jwt);

    TestClock m_clock;
    QTemporaryDir m_dir;
    ClusterServices m_services;
    std::unique_ptr<ApiServer> m_hs; // the platform's shared secret
    std::unique_ptr<ApiServer> m_rs; // an identity provider's RSA key, issuer and audience
    std::unique_ptr<ApiServer> m_es; // an EC key
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

std::unique_ptr<ApiServer> TestSecurityJwt::startServer(std::shared_ptr<const JwtVerifier> jwt) {
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    config.clock = &m_clock;
    config.jwt = std::move(jwt);
    config.allowedOrigins = {QString::fromLatin1(kAllowed)};
    // The table holds many wrong tokens on purpose: they are answered at once and never
    // banned here (tst_security covers the throttling).
    config.throttle.failureDelayMs = 0;
    config.throttle.maxFailures = 1'000'000;
    auto server = std::make_unique<ApiServer>(
        config, m_services.services());
    QString error;
    if (!server->start(&error)) {
        qWarning() << error;
        return nullptr;
    }
    return server;
}

void TestSecurityJwt::initTestCase() {
    qInstallMessageHandler(captureLog);
    QVERIFY(m_dir.isValid());
    for (const QStringList &args :
         {QStringList{"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                      "rsa.key"},
          QStringList{"pkey", "-in", "rsa.key", "-pubout", "-out", "rsa.pub"},
          QStringList{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                      "ec.key"},
          QStringList{"pkey", "-in", "ec.key", "-pubout", "-out", "ec.pub"}}) {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral("openssl"), args);
        QVERIFY2(p.waitForFinished(60'000) && p.exitCode() == 0,
                 p.readAllStandardError().constData());
    }
    QString error;
    QVERIFY2(m_services.start(&error), qPrintable(error));
    JwtVerifier::Settings hs;
    hs.secret = kSecret;
    hs.clock = &m_clock;
    std::shared_ptr<const JwtVerifier> hsVerifier = JwtVerifier::create(hs, &error);
    QVERIFY2(hsVerifier, qPrintable(error));
    JwtVerifier::Settings rs;
    rs.issuer = QStringLiteral("https://idp.example.com");
    rs.audience = QStringLiteral("pullwatch");
    rs.operatorClaim = QStringLiteral("pullwatch_operator");
    rs.clock = &m_clock;
    std::shared_ptr<const JwtVerifier> rsVerifier =
        JwtVerifier::fromFiles({}, m_dir.filePath(QStringLiteral("rsa.pub")), rs, &error);
    QVERIFY2(rsVerifier, qPrintable(error));
    JwtVerifier::Settings es;
    es.clock = &m_clock;
    std::shared_ptr<const JwtVerifier> esVerifier =
        JwtVerifier::fromFiles({}, m_dir.filePath(QStringLiteral("ec.pub")), es, &error);
    QVERIFY2(esVerifier, qPrintable(error));
    m_hs = startServer(hsVerifier);
    m_rs = startServer(rsVerifier);
    m_es = startServer(esVerifier);
    QVERIFY(m_hs && m_rs && m_es);
}

void TestSecurityJwt::cleanupTestCase() {
    m_hs.reset();
    m_rs.reset();
    m_es.reset();
    m_services.stop();
    qInstallMessageHandler(nullptr);
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

void TestSecurityJwt::sessionNamesTheRole() {
    const quint16 port = m_hs->port();
    const auto session = [port](const QByteArray &headers) {
        return QJsonDocument::fromJson(
                   rawRequest(port, rawHttp("GET", "/api/session", port, headers)).body)
            .object()
            .value(QStringLiteral("data"))
            .toObject();
    };
    const QJsonObject viewer = session(
        "Cookie: token=" + hmacJwt(platformClaims(m_clock, QStringLiteral("bob"), false), kSecret) +
        "\r\n");
    QCOMPARE(viewer.value(QStringLiteral("authenticated")).toBool(), true);
    QCOMPARE(viewer.value(QStringLiteral("role")).toString(), QStringLiteral("viewer"));
    QCOMPARE(viewer.value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
    const QJsonObject admin =
        session("Authorization: Bearer " +
                hmacJwt(platformClaims(m_clock, QStringLiteral("alice"), true), kSecret) + "\r\n");
    QCOMPARE(admin.value(QStringLiteral("role")).toString(), QStringLiteral("operator"));
    const QJsonObject nobody = session({});
    QCOMPARE(nobody.value(QStringLiteral("required")).toBool(), true);
    QCOMPARE(nobody.value(QStringLiteral("authenticated")).toBool(), false);
    QVERIFY(!nobody.contains(QStringLiteral("role")));
}

void TestSecurityJwt::auditLinesForStateChanges() {
    g_log.clear();
    const quint16 port = m_hs->port();
    const QByteArray admin =
        hmacJwt(platformClaims(m_clock, QStringLiteral("alice"), true), kSecret);
    const QByteArray viewer =
        hmacJwt(platformClaims(m_clock, QStringLiteral("bob"), false), kSecret);
    QCOMPARE(rawRequest(port, rawHttp("POST", "/images/pull", port,
                                      "Authorization: Bearer " + admin + "\r\n",
                                      "{\"names\":[\"busybox:1\"]}"))
                 .status,
             200);
    QCOMPARE(rawRequest(port, rawHttp("POST", "/images/pull", port,
                                      "Authorization: Bearer " + viewer + "\r\n",
                                      "{\"names\":[\"busybox:1\"]}"))
                 .status,
             403);
    QCOMPARE(rawRequest(port, rawHttp("DELETE", "/images/pull/nope", port,
                                      "Authorization: Bearer " + kToken + "\r\n"))
                 .status,
             404);
    QCOMPARE(rawRequest(port, rawHttp("POST", "/images/pull", port, {}, "{}")).status, 401);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/images/pull-active", port,
                                      "Authorization: Bearer " + admin + "\r\n"))
                 .status,
             200);
    const QStringList audit = g_log.filter(QStringLiteral("audit: "));
    const QStringList expected{
        QStringLiteral("audit: jwt:alice from 127.0.0.1: POST /images/pull -> 200"),
        QStringLiteral("audit: jwt:bob from 127.0.0.1: POST /images/pull -> 403"),
        QStringLiteral("audit: token from 127.0.0.1: DELETE /images/pull/nope -> 404"),
        QStringLiteral("audit: unauthenticated from 127.0.0.1: POST /images/pull -> 401")};
    QCOMPARE(audit, expected); // one line each, none for the GET
    for (const QString &line : std::as_const(g_log)) {
        QVERIFY2(!line.contains(QString::fromLatin1(admin)), qPrintable(line));
        QVERIFY2(!line.contains(QString::fromLatin1(kSecret)), qPrintable(line));
    }
}

void TestSecurityJwt::badKeysStopStartup_data() {
    QTest::addColumn<QString>("secretFile");
    QTest::addColumn<QString>("publicKeyFile");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing secret file")
        << QStringLiteral("nope") << QString() << QStringLiteral("--jwt-secret-file: cannot read");
    QTest::newRow("empty secret file")
        << QStringLiteral("empty") << QString() << QStringLiteral("--jwt-secret-file:");
    QTest::newRow("private key as public key") << QString() << QStringLiteral("garbage.pub")
                                               << QStringLiteral("--jwt-public-key: not a PEM");
    QTest::newRow("no key at all")
        << QString() << QString() << QStringLiteral("a JWT key is needed");
}

void TestSecurityJwt::badKeysStopStartup() {
    QFETCH(QString, secretFile);
    QFETCH(QString, publicKeyFile);
    QFETCH(QString, error);
    QFile empty(m_dir.filePath(QStringLiteral("empty")));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.write("\n");
    empty.close();
    QFile garbage(m_dir.filePath(QStringLiteral("garbage.pub")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n");
    garbage.close();
    QString message;
    const auto verifier = JwtVerifier::fromFiles(
        secretFile.isEmpty() ? QString() : m_dir.filePath(secretFile),
        publicKeyFile.isEmpty() ? QString() : m_dir.filePath(publicKeyFile), {}, &message);
    QVERIFY(!verifier);
    QVERIFY2(message.startsWith(error), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestSecurityJwt)
#include "tst_security_jwt.moc"
