#include "jwtserversfixture.h"

#include "logcapture.h"
#include "testjwt.h"

#include <QProcess>
#include <QTest>

using namespace pw::core;
using namespace pw::server;

const QByteArray JwtServersFixture::kToken = "jwt-suite-token-5e2b8c1f7a4d9e3b6c0f2a8d4e1b7c9f";
const QByteArray JwtServersFixture::kSecret = "the-platform-signing-secret-7d3f9a1c5e8b2d4f6a0c";
const QByteArray JwtServersFixture::kAllowed = "https://platform.example.com";

QByteArray hmacJwt(const QJsonObject &claims, const QByteArray &secret, const QByteArray &alg) {
    return TestJwt::hmac(claims, secret, alg);
}

QJsonObject platformClaims(const Clock &clock, const QString &user, bool admin, qint64 expIn) {
    return TestJwt::platformClaims(clock.now().toSecsSinceEpoch(), user, admin, expIn);
}

std::unique_ptr<ApiServer> JwtServersFixture::startServer(std::shared_ptr<const JwtVerifier> jwt) {
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    config.clock = &m_clock;
    config.jwt = std::move(jwt);
    config.allowedOrigins = {QString::fromLatin1(kAllowed)};
    // The table holds many wrong tokens on purpose: they are answered at once and never
    // banned here (tst_security_sessions covers the throttling).
    config.throttle.failureDelayMs = 0;
    config.throttle.maxFailures = 1'000'000;
    auto server = std::make_unique<ApiServer>(config, m_services.services());
    QString error;
    if (!server->start(&error)) {
        qWarning() << error;
        return nullptr;
    }
    return server;
}

void JwtServersFixture::startServers() {
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

void JwtServersFixture::stopServers() {
    m_hs.reset();
    m_rs.reset();
    m_es.reset();
    m_services.stop();
    qInstallMessageHandler(nullptr);
}
