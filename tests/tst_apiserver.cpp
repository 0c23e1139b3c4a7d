#include "server/apiserver.h"

#include "core/envelope.h"

#include "httpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pw::core;
using namespace pw::server;

// The API server's foundation routes and error envelope, over real loopback HTTP.
class TestApiServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void healthz();
    void version();
    void unknownPathIsJson404();
    void wrongMethodIsJson405();
    void oversizedBodyIsJson413();
    void portInUseIsAClearError();
    void tlsWithMissingFilesFails();

private:
    QUrl url(const QString &path) const { return QUrl(m_server->baseUrl() + path); }
    std::unique_ptr<ApiServer> m_server;
};

void TestApiServer::initTestCase()
{
    ServerConfig config;
    config.port = 0;
    m_server = std::make_unique<ApiServer>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    QVERIFY(m_server->port() != 0);
    QVERIFY(m_server->baseUrl().startsWith(QStringLiteral("http://127.0.0.1:")));
}

void TestApiServer::healthz()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/healthz")));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArrayLiteral("{\"status\":\"ok\"}"));
    QCOMPARE(r.header("Content-Type"), QByteArrayLiteral("application/json"));
}

void TestApiServer::version()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/api/version")));
    QCOMPARE(r.status, 200);
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(o.value(QStringLiteral("version")).toString(), QStringLiteral(PULLWATCH_VERSION));
    QCOMPARE(o.value(QStringLiteral("qt")).toString(), QString::fromLatin1(qVersion()));
}

void TestApiServer::unknownPathIsJson404()
{
    HttpClient client;
    const HttpResult r = client.get(url(QStringLiteral("/no/such/thing")));
    QCOMPARE(r.status, 404);
    const auto e = Envelope::parse(r.body);
    QVERIFY(e.ok);
    QCOMPARE(e.code, 404);
    QVERIFY2(e.error.contains(QStringLiteral("/no/such/thing")), qPrintable(e.error));
}

void TestApiServer::wrongMethodIsJson405()
{
    HttpClient client;
    const HttpResult r = client.send("POST", url(QStringLiteral("/healthz")), "{}");
    QCOMPARE(r.status, 405);
    const auto e = Envelope::parse(r.body);
    QCOMPARE(e.code, 405);
    QVERIFY2(e.error.contains(QStringLiteral("GET")), qPrintable(e.error));
}

void TestApiServer::oversizedBodyIsJson413()
{
    HttpClient client;
    const HttpResult r = client.send("POST", url(QStringLiteral("/healthz")), QByteArray((1 << 20) + 10, 'x'));
    QCOMPARE(r.status, 413);
    const auto e = Envelope::parse(r.body);
    QCOMPARE(e.code, 413);
}

void TestApiServer::portInUseIsAClearError()
{
    ServerConfig config;
    config.port = m_server->port();
    ApiServer second(config);
    QString error;
    QVERIFY(!second.start(&error));
    QVERIFY2(error.startsWith(QStringLiteral("--listen:")), qPrintable(error));
}

void TestApiServer::tlsWithMissingFilesFails()
{
    ServerConfig config;
    config.port = 0;
    config.tlsCertFile = QStringLiteral("/nonexistent/cert.pem");
    config.tlsKeyFile = QStringLiteral("/nonexistent/key.pem");
    ApiServer tls(config);
    QString error;
    QVERIFY(!tls.start(&error));
    QVERIFY2(error.startsWith(QStringLiteral("--tls-cert:")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestApiServer)
#include "tst_apiserver.moc"
