#include "securityfixture.h"

#include "logcapture.h"
#include "tst_securityraw.h"

#include <QTest>

using namespace pw::server;

const QByteArray SecurityFixture::kToken = "correct-horse-battery-staple-0123456789";

void SecurityFixture::startServer() {
    qInstallMessageHandler(captureLog);
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    config.clock = &m_clock;
    config.sessionTtlSeconds = 3600;
    m_server = std::make_unique<ApiServer>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_port = m_server->port();
}

void SecurityFixture::stopServer() {
    m_server.reset();
    qInstallMessageHandler(nullptr);
}

QByteArray SecurityFixture::login(const QByteArray &token, int *status, quint16 port) {
    if (port == 0)
        port = m_port;
    const RawResponse r =
        rawRequest(port, rawHttp("POST", "/login", port, {}, "{\"token\":\"" + token + "\"}"));
    if (status)
        *status = r.status;
    const QByteArray cookie = r.header("set-cookie");
    return cookie.left(cookie.indexOf(';'));
}

void SecurityFixture::verifyTokenNeverLogged() {
    for (const QString &line : std::as_const(capturedLog()))
        QVERIFY2(!line.contains(QString::fromLatin1(kToken)), qPrintable(line));
    QVERIFY(
        !capturedLog().isEmpty()); // the failed logins and refusals were logged, without the token
}
