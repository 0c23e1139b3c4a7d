// WsConnection's sending over a socket handed to a QWebSocketServer the way the HTTP engine
// hands it (handleConnection), against a real QWebSocket client, which checks every frame:
// a message under 64 KB goes to the kernel at once, never through the socket's write buffer
// (whose block stays resident for the connection's life), and every size arrives whole.

#include <QTest>

#include "server/wsconnection.h"
#include "server/wskeepalive.h"
#include "server/wsstats.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace pw::server;

class TestWsConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void messagesArriveWhole_data();
    void messagesArriveWhole();

private:
    WsStats m_stats;
    std::unique_ptr<WsKeepAlive> m_keepAlive;
    std::unique_ptr<QTcpServer> m_listener;
    std::unique_ptr<QWebSocketServer> m_server;
    QPointer<QTcpSocket> m_tcp;
    QPointer<WsConnection> m_connection;
};

void TestWsConnection::init()
{
    m_stats = WsStats{};
    m_keepAlive = std::make_unique<WsKeepAlive>(WsConfig{}, &m_stats);
    m_listener = std::make_unique<QTcpServer>();
    m_server = std::make_unique<QWebSocketServer>(QStringLiteral("test"),
                                                  QWebSocketServer::NonSecureMode);
    QVERIFY(m_listener->listen(QHostAddress::LocalHost, 0));
    connect(m_listener.get(), &QTcpServer::newConnection, this, [this] {
        m_tcp = m_listener->nextPendingConnection();
        m_server->handleConnection(m_tcp);
    });
    connect(m_server.get(), &QWebSocketServer::newConnection, this, [this] {
        if (QWebSocket *socket = m_server->nextPendingConnection())
            m_connection = new WsConnection(socket, m_keepAlive.get(), m_tcp);
    });
}

void TestWsConnection::cleanup()
{
    delete m_connection; // before the keep-alive it is registered with
    delete m_tcp;
    m_server.reset();
    m_listener.reset();
    m_keepAlive.reset();
}

void TestWsConnection::messagesArriveWhole_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("direct");
    // RFC 6455 §5.2: 7-bit lengths up to 125, 16-bit up to 65,535, 64-bit beyond.
    QTest::newRow("empty") << 0 << true;
    QTest::newRow("status-sized, 7-bit length") << 125 << true;
    QTest::newRow("first 16-bit length") << 126 << true;
    QTest::newRow("snapshot-sized") << 2455 << true;
    QTest::newRow("largest sent directly") << 65534 << true;
    QTest::newRow("64 KB, left to QWebSocket") << 65535 << false;
    QTest::newRow("256 KB, left to QWebSocket") << (256 << 10) << false;
    // QWebSocket splits a message into 512 KB frames by default, at any byte, and a Qt 6.4
    // client then closes with 1007 when a character straddles the split (the row's é does).
    QTest::newRow("1 MB, a character across 512 KB") << (1 << 20) << false;
}

void TestWsConnection::messagesArriveWhole()
{
    QFETCH(int, length);
    QFETCH(bool, direct);
    QWebSocket client;
    QStringList received;
    connect(&client, &QWebSocket::textMessageReceived, this,
            [&received](const QString &text) { received << text; });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_listener->serverPort())));
    QTRY_VERIFY(m_connection && client.state() == QAbstractSocket::ConnectedState);
    qint64 buffered = 0;
    connect(m_tcp, &QTcpSocket::bytesWritten, this, [&buffered](qint64 n) { buffered += n; });

    // Text that is not ASCII: the frame length counts UTF-8 bytes, not characters.
    QString message(length, u'x');
    if (length >= 2) {
        message.chop(1);
        message[message.size() / 2] = QChar(0x00e9); // 2 bytes in UTF-8
    }
    QCOMPARE(message.toUtf8().size(), qsizetype(length));
    QVERIFY(m_connection->send(message));
    QVERIFY(m_connection->send(QStringLiteral("next"))); // framing ends where it should
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received.at(0).size(), message.size());
    QVERIFY(received.at(0) == message);
    QCOMPARE(received.at(1), QStringLiteral("next"));
    // A message copied into the socket's buffer is reported written from there.
    if (direct)
        QCOMPARE(buffered, 0);
    else
        QVERIFY(buffered > length);
    QCOMPARE(m_stats.messagesSent, decltype(m_stats.messagesSent)(2));
}

QTEST_GUILESS_MAIN(TestWsConnection)
#include "tst_ws_connection.moc"
