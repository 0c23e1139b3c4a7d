#pragma once

#include "testclock.h"

#include "server/apiserver.h"

#include <QByteArray>
#include <QObject>
#include <QStringList>

#include <memory>

// What the in-process security suites share: the embedded server on a loopback port with a
// token, a session lifetime of an hour and a clock the test moves, and every log line the
// process wrote (so a suite can check that the token never appears in them).
class SecurityFixture : public QObject {
protected:
    static const QByteArray kToken;

    // From the suite's initTestCase / cleanupTestCase.
    void startServer();
    void stopServer();
    // POST /login with `token` (to the suite's server, or to `port`); the session cookie
    // ("name=value"), empty when refused; the status in `status`.
    QByteArray login(const QByteArray &token, int *status = nullptr, quint16 port = 0);
    // Fails the test when a log line written since startServer() holds the token, or when
    // none was written.
    static void verifyTokenNeverLogged();

    TestClock m_clock;
    std::unique_ptr<pw::server::ApiServer> m_server;
    quint16 m_port = 0;
};
