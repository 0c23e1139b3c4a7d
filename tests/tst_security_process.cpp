// docs/architecture.md §6, against the real binary: a token generated into the data directory
// (mode 0600, its path printed, never its value) when binding beyond loopback; a token given
// by PULLWATCH_TOKEN or --token-file enforced on loopback too; HTTPS whose key does not match
// its certificate stops start-up with a clear message (no fallback to HTTP).
#include "tst_securityraw.h"

#include "pullwatchprocess.h"

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
                          QStringLiteral("env-token-0123456789"));
    QVERIFY(p.start({"--headless", "--listen", "127.0.0.1:0"}));
    const quint16 port = quint16(p.baseUrl().port());
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port)).status, 401);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port,
                                      "Authorization: Bearer env-token-0123456789\r\n"))
                 .status,
             200);
    QCOMPARE(p.terminate(), 0);
    QVERIFY(!(p.standardOutput() + p.standardError()).contains("env-token-0123456789"));
    QVERIFY(!QFile::exists(p.dataDir() + QStringLiteral("/pullwatch/api-token")));
}

void TestSecurityProcess::tokenFileEnforced() {
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("token")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("file-token-abcdef\n");
    file.close();
    PullwatchProcess p;
    QVERIFY(p.start({"--headless", "--listen", "127.0.0.1:0", "--token-file", file.fileName()}));
    const quint16 port = quint16(p.baseUrl().port());
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port,
                                      "Authorization: Bearer file-token-abcdef\r\n"))
                 .status,
             200);
    QCOMPARE(rawRequest(port, rawHttp("GET", "/api/version", port,
                                      "Authorization: Bearer file-token-abcdeg\r\n"))
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
                          QStringLiteral("tls-token-0123456789"));
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
    socket.write(rawHttp("POST", "/login", port, {}, "{\"token\":\"tls-token-0123456789\"}"));
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
