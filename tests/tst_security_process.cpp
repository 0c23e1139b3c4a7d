// docs/architecture.md §6, against the real binary: a token generated into the data directory
// (mode 0600, its path printed, never its value) when binding beyond loopback; a token given
// by PULLWATCH_TOKEN or --token-file enforced on loopback too; HTTPS whose key does not match
// its certificate stops start-up with a clear message (no fallback to HTTP).
#include "tst_securityraw.h"

#include "pullwatchprocess.h"
#include "tempfile.h"
#include "testjwt.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestSecurityProcess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void generatedTokenBeyondLoopback();
    void givenTokenEnforcedOnLoopback();
    void tokenFileEnforced();
    void platformJwtOnTheRealBinary();
    void weakTokenRefused_data();
    void weakTokenRefused();
    void tlsWithMismatchedKeyStopsStartup();
    void tlsWithGarbageKeyStopsStartup();
    void tlsWithMatchingKeyServesHttpsAndSecureCookie();

private:
    bool openssl(const QStringList &args);
    QTemporaryDir m_pki;
};

bool TestSecurityProcess::openssl(const QStringList &args) {
    QProcess p;
    p.setWorkingDirectory(m_pki.path());
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        qWarning() << "openssl" << args << p.readAllStandardError();
        return false;
    }
    return true;
}

void TestSecurityProcess::initTestCase() {
    QVERIFY(m_pki.isValid());
    QVERIFY(openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                     "-out", "server.crt", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                     "subjectAltName=IP:127.0.0.1,DNS:localhost"}));
    QVERIFY(openssl({"genrsa", "-out", "other.key", "2048"}));
    QFile garbage(m_pki.filePath("garbage.key"));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
}

void TestSecurityProcess::generatedTokenBeyondLoopback() {
    PullwatchProcess p;
    const QString dataDir = p.dataDir() + QStringLiteral("/pw");
    QVERIFY2(p.start({"--headless", "--listen", "0.0.0.0:0", "--data-dir", dataDir}),
             qPrintable(p.error()));
    const QString tokenPath = dataDir + QStringLiteral("/api-token");
    QFile file(tokenPath);
    QVERIFY(file.exists());
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                            QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(file.permissions() & others, QFileDevice::Permissions());
    QVERIFY(file.permissions() & QFileDevice::ReadOwner);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray token = file.readAll().trimmed();
    QVERIFY(token.size() >= 32);
    const quint16 port = quint16(p.baseUrl().port());
    // Everything but /healthz needs the token.
    QCOMPARE(rawRequest(port, rawHttp("GET", "/healthz", port)).status, 200);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port)).status, 401);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port,
                                      "Authorization: Bearer " + token + "\r\n"))
                 .status,
             200);
    QCOMPARE(p.terminate(), 0);
    const QByteArray output = p.standardOutput() + p.standardError();
    QVERIFY2(output.contains(tokenPath.toUtf8()), output.constData());            // where it is…
    QVERIFY2(!output.contains(token), "the token's value must never be printed"); // …not what
    // A restart keeps the generated token, so clients keep working.
    PullwatchProcess again;
    QVERIFY(again.start({"--headless", "--listen", "0.0.0.0:0", "--data-dir", dataDir}));
    const quint16 port2 = quint16(again.baseUrl().port());
    QCOMPARE(rawRequest(port2, rawHttp("GET", "/api/version", port2,
                                       "Authorization: Bearer " + token + "\r\n"))
                 .status,
             200);
}

void TestSecurityProcess::givenTokenEnforcedOnLoopback() {
    PullwatchProcess p;
    p.setEnvironmentValue(QStringLiteral("PULLWATCH_TOKEN"),
                          QStringLiteral("env-token-7c1e9a4f2b6d8e0a3c5f7b9d1e4a6c8f"));
    QVERIFY(p.start({"--headless", "--listen", "127.0.0.1:0"}));
    const quint16 port = quint16(p.baseUrl().port());
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port)).status, 401);
    QCOMPARE(
        rawRequest(port,
                   rawHttp("GET", "/api/version", port,
                           "Authorization: Bearer env-token-7c1e9a4f2b6d8e0a3c5f7b9d1e4a6c8f\r\n"))
            .status,
        200);
    QCOMPARE(p.terminate(), 0);
    QVERIFY(!(p.standardOutput() + p.standardError())
                 .contains("env-token-7c1e9a4f2b6d8e0a3c5f7b9d1e4a6c8f"));
    QVERIFY(!QFile::exists(p.dataDir() + QStringLiteral("/pullwatch/api-token")));
}

void TestSecurityProcess::tokenFileEnforced() {
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("token")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("file-token-5b8d2f4a6c9e1b3d7f0a2c4e6b8d0f1a\n");
    file.close();
    PullwatchProcess p;
    QVERIFY(p.start({"--headless", "--listen", "127.0.0.1:0", "--token-file", file.fileName()}));
    const quint16 port = quint16(p.baseUrl().port());
    QCOMPARE(
        rawRequest(port,
                   rawHttp("GET", "/api/version", port,
                           "Authorization: Bearer file-token-5b8d2f4a6c9e1b3d7f0a2c4e6b8d0f1a\r\n"))
            .status,
        200);
    QCOMPARE(
        rawRequest(port,
                   rawHttp("GET", "/api/version", port,
                           "Authorization: Bearer file-token-5b8d2f4a6c9e1b3d7f0a2c4e6b8d0f1b\r\n"))
            .status,
        401);
    PullwatchProcess both;
    both.setEnvironmentValue(QStringLiteral("PULLWATCH_TOKEN"), QStringLiteral("another-token"));
    QCOMPARE(both.run({"--headless", "--listen", "127.0.0.1:0", "--token-file", file.fileName()}),
             1);
    QVERIFY2(both.standardError().contains("different tokens"), both.standardError().constData());
    QVERIFY(!both.standardError().contains("another-token"));
    PullwatchProcess missing;
    QCOMPARE(missing.run({"--headless", "--listen", "127.0.0.1:0", "--token-file",
                          dir.filePath(QStringLiteral("nope"))}),
             2); // a named file that is not there is a usage error
    QVERIFY2(missing.standardError().contains("--token-file"), missing.standardError().constData());
}

// The task as an operator runs it: the platform's secret in a file, its frontend on another
// origin. An admin JWT starts a pull as Bearer and reads as cookie; a non-admin reads but
// may not start; expired and forged ones get 401; loopback needs authentication too.
void TestSecurityProcess::platformJwtOnTheRealBinary() {
    QTemporaryDir dir;
    const QByteArray secret = "process-platform-secret-9a7c5e3b1d2f4a6c8e0b2d4f6a8c0e1b";
    const QString secretFile = writeTempFile(dir, QStringLiteral("jwt-secret"), secret + '\n');
    QVERIFY(!secretFile.isEmpty());
    PullwatchProcess p;
    p.setEnvironmentValue(QStringLiteral("PULLWATCH_ALLOWED_ORIGIN"),
                          QStringLiteral("https://platform.example.com"));
    QVERIFY2(p.start({"--headless", "--demo", "--listen", "127.0.0.1:0", "--jwt-secret-file",
                      secretFile}),
             qPrintable(p.error()));
    const quint16 port = quint16(p.baseUrl().port());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray admin =
        TestJwt::hmac(TestJwt::platformClaims(now, QStringLiteral("alice"), true), secret);
    const QByteArray viewer =
        TestJwt::hmac(TestJwt::platformClaims(now, QStringLiteral("bob"), false), secret);
    const QByteArray expired =
        TestJwt::hmac(TestJwt::platformClaims(now, QStringLiteral("alice"), true, -3600), secret);
    const QByteArray forged =
        TestJwt::hmac(TestJwt::platformClaims(now, QStringLiteral("alice"), true),
                      "another-secret-of-40-bytes-0123456789abc");
    const QByteArray body = "{\"names\":[\"nginx:1.27\"]}";
    const auto status = [port](const QByteArray &method, const QByteArray &target,
                               const QByteArray &headers, const QByteArray &body = {}) {
        return rawRequest(port, rawHttp(method, target, port, headers, body)).status;
    };
    QCOMPARE(status("GET", "/images/pull-active", {}), 401);
    const RawResponse started =
        rawRequest(port, rawHttp("POST", "/images/pull", port,
                                 "Authorization: Bearer " + admin +
                                     "\r\nOrigin: https://platform.example.com\r\n",
                                 body));
    QCOMPARE(started.status, 200);
    QVERIFY2(started.body.contains("\"job_ids\":[\""), started.body.constData());
    QCOMPARE(started.header("access-control-allow-origin"),
             QByteArray("https://platform.example.com"));
    QCOMPARE(status("GET", "/images/pull-active", "Cookie: token=" + admin + "\r\n"), 200);
    QCOMPARE(status("GET", "/images/pull-active", "Cookie: token=" + viewer + "\r\n"), 200);
    QCOMPARE(status("POST", "/images/pull", "Authorization: Bearer " + viewer + "\r\n", body), 403);
    QCOMPARE(status("GET", "/images/pull-active", "Authorization: Bearer " + expired + "\r\n"),
             401);
    QCOMPARE(status("GET", "/images/pull-active", "Authorization: Bearer " + forged + "\r\n"), 401);
    QCOMPARE(p.terminate(), 0);
    const QByteArray output = p.standardOutput() + p.standardError();
    QVERIFY2(output.contains("audit: jwt:alice from 127.0.0.1: POST /images/pull -> 200"),
             output.constData());
    QVERIFY2(output.contains("audit: jwt:bob from 127.0.0.1: POST /images/pull -> 403"),
             output.constData());
    QVERIFY(!output.contains(secret) && !output.contains(admin));
}

// docs/architecture.md §6: a token below 128 bits of entropy stops start-up with a message
// naming where it came from and how to make a good one, never the token itself.
void TestSecurityProcess::weakTokenRefused_data() {
    QTest::addColumn<bool>("inFile");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("source");
    QTest::newRow("short word in PULLWATCH_TOKEN")
        << false << QStringLiteral("secret") << QStringLiteral("PULLWATCH_TOKEN");
    QTest::newRow("word and digits in PULLWATCH_TOKEN")
        << false << QStringLiteral("env-token-0123456789") << QStringLiteral("PULLWATCH_TOKEN");
    QTest::newRow("one repeated character in the file")
        << true << QString(64, u'a') << QStringLiteral("--token-file");
    QTest::newRow("120-bit hex in the file")
        << true << QStringLiteral("0123456789abcdef0123456789abcd")
        << QStringLiteral("--token-file");
}

void TestSecurityProcess::weakTokenRefused() {
    QFETCH(bool, inFile);
    QFETCH(QString, token);
    QFETCH(QString, source);
    QTemporaryDir dir;
    PullwatchProcess p;
    QStringList args{"--headless", "--listen", "127.0.0.1:0"};
    if (inFile) {
        const QString file = writeTempFile(dir, QStringLiteral("token"), token.toUtf8() + '\n');
        QVERIFY(!file.isEmpty());
        args << QStringLiteral("--token-file") << file;
    } else {
        p.setEnvironmentValue(QStringLiteral("PULLWATCH_TOKEN"), token);
    }
    QCOMPARE(p.run(args), 1);
    const QByteArray err = p.standardError();
    QVERIFY2(err.contains(source.toUtf8() + ": the API token is too weak"), err.constData());
    QVERIFY2(err.contains("at least 128") && err.contains("head -c 32 /dev/urandom | base64"),
             err.constData());
    QVERIFY(!err.contains(token.toUtf8()));
}

void TestSecurityProcess::tlsWithMismatchedKeyStopsStartup() {
    PullwatchProcess p;
    const int status =
        p.run({"--headless", "--listen", "127.0.0.1:0", "--tls-cert", m_pki.filePath("server.crt"),
               "--tls-key", m_pki.filePath("other.key")});
    QCOMPARE(status, 1);
    QVERIFY2(p.standardError().contains("does the key belong to the certificate"),
             p.standardError().constData());
    QVERIFY(!p.standardOutput().contains("listening on http"));
}

void TestSecurityProcess::tlsWithGarbageKeyStopsStartup() {
    PullwatchProcess p;
    QCOMPARE(p.run({"--headless", "--listen", "127.0.0.1:0", "--tls-cert",
                    m_pki.filePath("server.crt"), "--tls-key", m_pki.filePath("garbage.key")}),
             1);
    QVERIFY2(p.standardError().contains("--tls-key"), p.standardError().constData());
    PullwatchProcess noCert;
    QCOMPARE(noCert.run({"--headless", "--listen", "127.0.0.1:0", "--tls-cert",
                         m_pki.filePath("garbage.key"), "--tls-key", m_pki.filePath("server.key")}),
             1);
    QVERIFY2(noCert.standardError().contains("--tls-cert"), noCert.standardError().constData());
}

void TestSecurityProcess::tlsWithMatchingKeyServesHttpsAndSecureCookie() {
    PullwatchProcess p;
    p.setEnvironmentValue(QStringLiteral("PULLWATCH_TOKEN"),
                          QStringLiteral("tls-token-3e5a7c9f1b2d4e6a8c0f2b4d6e8a1c3e"));
    QVERIFY2(p.start({"--headless", "--listen", "127.0.0.1:0", "--tls-cert",
                      m_pki.filePath("server.crt"), "--tls-key", m_pki.filePath("server.key")}),
             qPrintable(p.error()));
    QCOMPARE(p.baseUrl().scheme(), QStringLiteral("https"));
    const quint16 port = quint16(p.baseUrl().port());
    QSslSocket socket;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.setSslConfiguration(config);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    QVERIFY(socket.waitForEncrypted(5000));
    socket.write(rawHttp("POST", "/login", port, {},
                         "{\"token\":\"tls-token-3e5a7c9f1b2d4e6a8c0f2b4d6e8a1c3e\"}"));
    QByteArray data;
    while (!data.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        data += socket.readAll();
    const RawResponse r = parseRawResponse(data);
    QCOMPARE(r.status, 200);
    QVERIFY2(r.header("set-cookie").contains("; Secure"), r.header("set-cookie").constData());
    // Plain HTTP on the TLS port is not served.
    QVERIFY(rawRequest(port, rawHttp("GET", "/healthz", port), 2000).status != 200);
}

QTEST_GUILESS_MAIN(TestSecurityProcess)
#include "tst_security_process.moc"
