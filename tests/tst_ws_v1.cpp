#include "wsclient.h"
#include "wsrawclient.h"
#include "wsv1fixture.h"
#include "wswait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "server/wsstatushub.h"

using namespace WsTest;

// The original service's clients: every socket opened without a subprotocol speaks v1 and
// gets only the original's messages (docs/api.md "Protocol versions"). Its pull page stores
// every message of a pull socket as a job status and renders status.toUpperCase(); its log
// viewer prints every message of /ws/pod-logs as log text (tst_ws_v1_logs). The real server on
// an in-process kubesim; every message a v1 client gets is checked against the original's
// shapes.
class TestWsV1 : public WsV1Fixture
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void handshake_data();
    void handshake();
    void pullSocket_data();
    void pullSocket();
    void allSocketFollowsPulls();
    void allSocketSubscriptionGetsCurrentStatus();
    void allSocketUnsubscribeHasNoAck();
    void allSocketBadMessages_data();
    void allSocketBadMessages();
};

void TestWsV1::handshake_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("asked");    // Sec-WebSocket-Protocol sent
    QTest::addColumn<QByteArray>("answered"); // Sec-WebSocket-Protocol answered
    QTest::addColumn<bool>("v2");
    QTest::newRow("nothing asked: v1") << QByteArray("/ws/image-pull-all") << QByteArray()
                                       << QByteArray() << false;
    QTest::newRow("pullwatch.v2") << QByteArray("/ws/image-pull-all") << QByteArray("pullwatch.v2")
                                  << QByteArray("pullwatch.v2") << true;
    QTest::newRow("pullwatch.v2 among others")
        << QByteArray("/ws/image-pull-all") << QByteArray("chat, pullwatch.v2")
        << QByteArray("pullwatch.v2") << true;
    QTest::newRow("unknown subprotocol: v1") << QByteArray("/ws/image-pull-all")
                                             << QByteArray("pullwatch.v3") << QByteArray() << false;
    QTest::newRow("v=2 in the URL") << QByteArray("/ws/image-pull-all?v=2") << QByteArray()
                                    << QByteArray() << true;
    QTest::newRow("v=1 in the URL") << QByteArray("/ws/image-pull-all?v=1") << QByteArray()
                                    << QByteArray() << false;
    QTest::newRow("subprotocol wins over v=1")
        << QByteArray("/ws/image-pull-all?v=1") << QByteArray("pullwatch.v2")
        << QByteArray("pullwatch.v2") << true;
    QTest::newRow("pull socket, v=2") << QByteArray("/ws/image-pull/no-such-job?v=2")
                                      << QByteArray() << QByteArray() << true;
    QTest::newRow("pull socket, nothing asked")
        << QByteArray("/ws/image-pull/no-such-job") << QByteArray() << QByteArray() << false;
    QTest::newRow("log socket, pullwatch.v2")
        << QByteArray("/ws/pod-logs?pod=no-such-pod") << QByteArray("pullwatch.v2")
        << QByteArray("pullwatch.v2") << true;
}

// The handshake answers the subprotocol it chose, and the connection speaks that version:
// a bad message gets an error message (v2) or only a close with 1008 (v1).
void TestWsV1::handshake()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, asked);
    QFETCH(QByteArray, answered);
    QFETCH(bool, v2);
    start();
    if (QTest::currentTestFailed())
        return;
    RawClient raw(m_f->server->port(), target, asked);
    QCOMPARE(raw.handshake(), 101);
    QCOMPARE(raw.header("sec-websocket-protocol"), answered);
    raw.sendFrame(0x1, "garbage");
    const auto hasError = [&raw] {
        return std::any_of(raw.texts.cbegin(), raw.texts.cend(), [](const QByteArray &text) {
            return QJsonDocument::fromJson(text).object().value(QStringLiteral("type"))
                == QStringLiteral("error");
        });
    };
    if (v2) {
        QVERIFY2(waitFor(hasError, 10000), raw.texts.join('\n').constData());
    } else {
        QVERIFY(waitFor([&] { return raw.closeCode > 0; }, 10000));
        QCOMPARE(raw.closeCode, 1008);
        QVERIFY2(raw.texts.isEmpty(), raw.texts.join('\n').constData());
    }
    QCOMPARE(m_f->stats().v1Connections, quint64(v2 ? 0 : 1));
    QCOMPARE(m_f->stats().v2Connections, quint64(v2 ? 1 : 0));
}

void TestWsV1::pullSocket_data()
{
    QTest::addColumn<QString>("image");        // empty: no such job
    QTest::addColumn<QString>("send");         // sent once connected (empty: nothing)
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QStringList>("lastStatus"); // of the last message (empty: no message)
    QTest::addColumn<QString>("closeReason");  // the close reason starts with this
    const QString pending = QStringLiteral("pending");
    const QString pulling = QStringLiteral("pulling");
    QTest::newRow("pull succeeds") << QStringLiteral("nginx:1.27") << QString() << 1000
                                   << QStringList{QStringLiteral("completed")}
                                   << QStringLiteral("pull completed");
    QTest::newRow("pull fails") << QStringLiteral("example.com/notfound/app:1") << QString() << 1000
                                << QStringList{QStringLiteral("failed")}
                                << QStringLiteral("pull failed");
    QTest::newRow("unknown job") << QString() << QString() << 1008 << QStringList()
                                 << QStringLiteral("job not found");
    QTest::newRow("client sends a message")
        << QStringLiteral("example.com/slow/app:1") << QStringLiteral("hello") << 1008
        << QStringList{pending, pulling} << QStringLiteral("this endpoint takes no messages");
}

// /ws/image-pull/{id}: only status messages, then the close.
void TestWsV1::pullSocket()
{
    QFETCH(QString, image);
    QFETCH(QString, send);
    QFETCH(int, closeCode);
    QFETCH(QStringList, lastStatus);
    QFETCH(QString, closeReason);
    start();
    if (QTest::currentTestFailed())
        return;
    QString id = QStringLiteral("no-such-job");
    if (!image.isEmpty()) {
        id = m_f->startPull(image);
        QVERIFY(!id.isEmpty());
    }
    Client c(m_f->url(QStringLiteral("/ws/image-pull/") + id), kAskNothing);
    if (!send.isEmpty()) {
        // After the current status, so that the close follows a message.
        QVERIFY(waitFor([&] { return !c.messages.isEmpty(); }, 10000));
        c.send(send);
    }
    QVERIFY(waitFor([&] { return c.closed; }, 60000));
    QCOMPARE(c.closeCode, closeCode);
    QVERIFY2(c.closeReason.startsWith(closeReason), qPrintable(c.closeReason));
    const QStringList errors = shapeErrors(c.messages, pullShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    if (lastStatus.isEmpty()) {
        QCOMPARE(c.messages.size(), 0);
        return;
    }
    QVERIFY(!c.messages.isEmpty());
    QVERIFY2(lastStatus.contains(c.last().value(QStringLiteral("status")).toString()),
             qPrintable(c.last().value(QStringLiteral("status")).toString()));
    QCOMPARE(c.last().value(QStringLiteral("job_id")).toString(), id);
    QCOMPARE(c.last().value(QStringLiteral("image")).toString(), image);
}

// /ws/image-pull-all, subscribed to every pull: status messages only, no acknowledgement.
void TestWsV1::allSocketFollowsPulls()
{
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    c.send(subscribe(QStringLiteral("subscribe"), QStringLiteral("*")));
    const QString ok = m_f->startPull(QStringLiteral("busybox:1.36"));
    const QString bad = m_f->startPull(QStringLiteral("example.com/notfound/app:2"));
    QVERIFY(!ok.isEmpty() && !bad.isEmpty());
    const auto finished = [&](const QString &id, const QString &status) {
        return std::any_of(c.messages.cbegin(), c.messages.cend(), [&](const QJsonObject &m) {
            return m.value(QStringLiteral("job_id")).toString() == id
                && m.value(QStringLiteral("status")).toString() == status;
        });
    };
    QVERIFY(waitFor([&] { return finished(ok, QStringLiteral("completed"))
                                 && finished(bad, QStringLiteral("failed")); },
                    60000));
    QVERIFY(!c.closed);
    const QStringList errors = shapeErrors(c.messages, pullShapeError);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
}

// Subscribing to one pull: its current status at once, as a status message (no ack).
void TestWsV1::allSocketSubscriptionGetsCurrentStatus()
{
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    const QString id = m_f->startPull(QStringLiteral("alpine:3.20"));
    QVERIFY(!id.isEmpty());
    QVERIFY(waitFor([&] { return m_f->pulls->tracker()->find(id)->isTerminal(); }, 60000));
    c.send(subscribe(QStringLiteral("subscribe"), id));
    QVERIFY(waitFor([&] { return !c.messages.isEmpty(); }, 10000));
    QCOMPARE(c.messages.size(), 1);
    QCOMPARE(pullShapeError(c.messages[0]), QString());
    QCOMPARE(c.messages[0].value(QStringLiteral("job_id")).toString(), id);
    QCOMPARE(c.messages[0].value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(c.messages[0].value(QStringLiteral("progress")).toInt(), 100);
}

// Unsubscribing is done without an answer; the next pull is not sent.
void TestWsV1::allSocketUnsubscribeHasNoAck()
{
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    c.send(subscribe(QStringLiteral("subscribe"), QStringLiteral("*")));
    QVERIFY(waitFor([&] { return m_f->server->ws()->statusHub()->subscriptionCount() == 1; }, 10000));
    c.send(subscribe(QStringLiteral("unsubscribe"), QStringLiteral("*")));
    QVERIFY(waitFor([&] { return m_f->server->ws()->statusHub()->subscriptionCount() == 0; }, 10000));
    const QString id = m_f->startPull(QStringLiteral("alpine:3.19"));
    QVERIFY(!id.isEmpty());
    QVERIFY(waitFor([&] { return m_f->pulls->tracker()->find(id)->isTerminal(); }, 60000));
    // A round trip: whatever the server sent before its answer (the close) has arrived.
    c.send(QStringLiteral("ping?"));
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1008);
    QCOMPARE(c.messages.size(), 0);
}

void TestWsV1::allSocketBadMessages_data()
{
    QTest::addColumn<QString>("message"); // empty: a binary message
    QTest::addColumn<QString>("reason");
    QTest::newRow("not json") << "subscribe please" << "malformed message: not JSON";
    QTest::newRow("array") << "[1,2]" << "malformed message: expected a JSON object";
    QTest::newRow("no action") << "{}" << "missing \"action\"";
    QTest::newRow("unknown action") << "{\"action\":\"dance\",\"job_id\":\"x\"}" << "unknown action 'dance'";
    QTest::newRow("no job_id") << "{\"action\":\"subscribe\"}" << "job_id must be a job name";
    QTest::newRow("job_id not a name") << "{\"action\":\"subscribe\",\"job_id\":\"A B\"}" << "job_id must be a job name";
    QTest::newRow("unknown job") << "{\"action\":\"subscribe\",\"job_id\":\"no-such-job\"}" << "job not found: no-such-job";
    QTest::newRow("unsubscribe unknown") << "{\"action\":\"unsubscribe\",\"job_id\":\"abc\"}" << "not subscribed to 'abc'";
    QTest::newRow("over 4 KiB") << QStringLiteral("{\"action\":\"subscribe\",\"job_id\":\"%1\"}").arg(QString(5000, u'a')) << "message too large";
    // 3-byte characters: the reason's 123rd byte is inside one.
    QTest::newRow("not ASCII, long") << QStringLiteral("{\"action\":\"%1\"}").arg(QString(60, QChar(0x20ac))) << QStringLiteral("unknown action '%1").arg(QString(35, QChar(0x20ac)));
    QTest::newRow("binary") << QString() << "binary messages are not accepted";
}

// A bad subscribe closes with 1008 and says why in the close reason; no message is sent.
void TestWsV1::allSocketBadMessages()
{
    QFETCH(QString, message);
    QFETCH(QString, reason);
    const std::unique_ptr<Client> all = startAndOpenAll();
    QVERIFY(all);
    Client &c = *all;
    if (message.isEmpty())
        c.socket.sendBinaryMessage(QByteArray("binary"));
    else
        c.send(message);
    QVERIFY(waitFor([&] { return c.closed; }, 10000));
    QCOMPARE(c.closeCode, 1008);
    QVERIFY2(c.closeReason.startsWith(reason), qPrintable(c.closeReason));
    // RFC 6455 §5.5: the reason fits a control frame, cut at a character boundary.
    QVERIFY2(c.closeReason.toUtf8().size() <= 123, qPrintable(c.closeReason));
    QCOMPARE(c.messages.size(), 0);
    QCOMPARE(m_f->stats().rejectedMessages, quint64(1));
}

QTEST_GUILESS_MAIN(TestWsV1)
#include "tst_ws_v1.moc"
