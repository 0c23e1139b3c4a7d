#include "wsstatusfixture.h"

#include <QTest>

using namespace pw::server;

void WsStatusFixture::startServer() {
    m_ws = WsConfig{};
    // Short enough for missingPongCloses to see the close soon, long enough that a client
    // busy sending (subscriptionLimit's 1,000 messages) on a loaded or sanitized run still
    // answers its pings in time.
    m_ws.pingIntervalMs = 200;
    m_ws.pongTimeoutMs = 2000;
    m_f = std::make_unique<WsTest::Fixture>();
    const QByteArray scenario = R"({"timeScale":0.1})";
    QVERIFY(m_f->start(m_ws, scenario, true));
    QTRY_VERIFY_WITH_TIMEOUT(m_f->pulls->isReady(), 10000);
}

void WsStatusFixture::stopServer() {
    m_f.reset();
}
