// WsKeepAlive, the one timer behind every WebSocket's deadlines, against a real
// QWebSocketServer and a raw client: pings come at the interval (never faster), and a client
// that stops reading is cut off at the end of the close grace, not before and not never.

#include "wsrawclient.h"
#include "wswait.h"

#include <QTest>

#include "server/wsconnection.h"
#include "server/wskeepalive.h"
#include "server/wsstats.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QWebSocketServer>

using namespace pw::server;

using namespace WsTest;

class TestWsKeepAlive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void pingsFollowTheInterval();
    void closeGraceEndsAStalledClose();

private:
    // Listens with `config`; the next accepted socket becomes m_connection.
    void listen(const WsConfig &config);
    WsStats m_stats;
    std::unique_ptr<WsKeepAlive> m_keepAlive;
    std::unique_ptr<QWebSocketServer> m_server;
    QPointer<WsConnection> m_connection;
};

void TestWsKeepAlive::init()
{
    m_stats = WsStats{};
}

void TestWsKeepAlive::cleanup()
{
    delete m_connection; // before the keep-alive it is registered with
    m_server.reset();
    m_keepAlive.reset();
}

void TestWsKeepAlive::listen(const WsConfig &config)
{
    m_keepAlive = std::make_unique<WsKeepAlive>(config, &m_stats);
    m_server = std::make_unique<QWebSocketServer>(QStringLiteral("test"),
                                                  QWebSocketServer::NonSecureMode);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    connect(m_server.get(), &QWebSocketServer::newConnection, this, [this] {
        if (QWebSocket *socket = m_server->nextPendingConnection())
            m_connection = new WsConnection(socket, m_keepAlive.get());
    });
}

void TestWsKeepAlive::pingsFollowTheInterval()
{
    WsConfig config;
    config.pingIntervalMs = 100;
    config.pongTimeoutMs = 60'000; // the raw client never answers; that is not tested here
    listen(config);
    RawClient client(m_server->serverPort(), "/");
    QCOMPARE(client.handshake(), 101);
    QTRY_VERIFY(m_connection);
    QElapsedTimer window;
    window.start();
    QTest::qWait(1000);
    client.readSome();
    const qint64 ms = window.elapsed();
    // Never faster than the interval (a sweep would bunch them); at least a few even on a
    // busy machine, where timers only fire late.
    QVERIFY2(client.pings <= ms / config.pingIntervalMs + 1, qPrintable(QString::number(client.pings)));
    QVERIFY2(client.pings >= 3, qPrintable(QString::number(client.pings)));
    QVERIFY(m_connection->isOpen());
    QCOMPARE(m_keepAlive->count(), 1);
}

void TestWsKeepAlive::closeGraceEndsAStalledClose()
{
    WsConfig config;
    config.maxQueueBytes = 64 << 20;
    config.softQueueBytes = 32 << 20;
    listen(config);
    RawClient client(m_server->serverPort(), "/");
    QCOMPARE(client.handshake(), 101);
    client.stopReading();
    QTRY_VERIFY(m_connection);
    // More than the kernel's socket buffers take: the close frame stays queued behind it.
    const QString chunk(64 * 1024, u'x');
    for (int i = 0; i < 256; ++i)
        QVERIFY(m_connection->send(chunk));
    QVERIFY(m_connection->queuedBytes() > 0);
    bool closed = false;
    connect(m_connection, &WsConnection::closed, this, [&closed] { closed = true; });
    QElapsedTimer sinceClose;
    sinceClose.start();
    m_connection->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    QVERIFY(waitFor([&] { return closed; }, 10'000));
    const qint64 ms = sinceClose.elapsed();
    QVERIFY2(ms >= 1900, qPrintable(QString::number(ms))); // the grace is 2 s
    QVERIFY2(ms < 8000, qPrintable(QString::number(ms)));
    QCOMPARE(m_keepAlive->count(), 1); // closed, not yet deleted by its owner
}

QTEST_GUILESS_MAIN(TestWsKeepAlive)
#include "tst_ws_keepalive.moc"
