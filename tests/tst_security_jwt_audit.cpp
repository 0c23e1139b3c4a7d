// docs/architecture.md §6: what the platform's JSON Web Tokens lead to besides an answer —
// the session naming the role, one audit line for each state change (never a token or the
// secret), and key files that stop the startup with a clear error.
#include "jwtserversfixture.h"
#include "logcapture.h"
#include "tst_securityraw.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pw::server;

class TestSecurityJwtAudit : public JwtServersFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startServers(); }
    void cleanupTestCase() { stopServers(); }
    void sessionNamesTheRole();
    void auditLinesForStateChanges();
    void badKeysStopStartup_data();
    void badKeysStopStartup();
};

void TestSecurityJwtAudit::sessionNamesTheRole() {
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

void TestSecurityJwtAudit::auditLinesForStateChanges() {
    QStringList &logged = capturedLog();
    logged.clear();
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
    const QStringList audit = logged.filter(QStringLiteral("audit: "));
    const QStringList expected{
        QStringLiteral("audit: jwt:alice from 127.0.0.1: POST /images/pull -> 200"),
        QStringLiteral("audit: jwt:bob from 127.0.0.1: POST /images/pull -> 403"),
        QStringLiteral("audit: token from 127.0.0.1: DELETE /images/pull/nope -> 404"),
        QStringLiteral("audit: unauthenticated from 127.0.0.1: POST /images/pull -> 401")};
    QCOMPARE(audit, expected); // one line each, none for the GET
    for (const QString &line : std::as_const(logged)) {
        QVERIFY2(!line.contains(QString::fromLatin1(admin)), qPrintable(line));
        QVERIFY2(!line.contains(QString::fromLatin1(kSecret)), qPrintable(line));
    }
}

void TestSecurityJwtAudit::badKeysStopStartup_data() {
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

void TestSecurityJwtAudit::badKeysStopStartup() {
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

QTEST_GUILESS_MAIN(TestSecurityJwtAudit)
#include "tst_security_jwt_audit.moc"
