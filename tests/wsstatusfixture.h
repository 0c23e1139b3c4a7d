#pragma once

#include "wsfixture.h"

#include <QObject>

#include <memory>

// What the suites of the server's status sockets and pod lists share: the real server on an
// in-process kubesim (clock 10 times faster, demo workloads), started for each test function
// with pings every 200 ms; a test may change m_ws and start its own m_f.
class WsStatusFixture : public QObject {
protected:
    // From the suite's init / cleanup.
    void startServer();
    void stopServer();

    std::unique_ptr<WsTest::Fixture> m_f;
    pw::server::WsConfig m_ws;
};
