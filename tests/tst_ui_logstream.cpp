// The log stream protocol as the window speaks it (DESIGN.md §4 /ws/pod-logs), against a
// scripted loopback WebSocket server: query parameters and bearer token, batches with line
// numbers, reconnection with resume=<next line>, gap and reconnect markers in the view,
// a refused stream that is not retried.
#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logstream.h"
#include "ui/logview.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace {

QString message(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString logMessage(qint64 first, int count) {
    QString data;
    for (int i = 0; i < count; ++i)
        data += QStringLiteral("2026-11-27T10:00:00.000000001Z line %1\n").arg(first + i);
    return message({{"type", "log"}, {"data", data}, {"seq", double(first)}, {"lines", count}});
}

} // namespace

class TestUiLogStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void resumesAfterDropWithMarkers();
    void refusedStreamIsNotRetried();

private:
    QWebSocketServer *m_server = nullptr;
    QList<QWebSocket *> m_sockets;
    QUrl base() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
    }
};

void TestUiLogStream::init() {
    m_server = new QWebSocketServer(QStringLiteral("logs"), QWebSocketServer::NonSecureMode, this);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_sockets.clear();
    connect(m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *s = m_server->nextPendingConnection())
            m_sockets.append(s);
    });
}

void TestUiLogStream::cleanup() {
    delete m_server;
    m_server = nullptr;
}

void TestUiLogStream::resumesAfterDropWithMarkers() {
    ApiClient client(base(), QStringLiteral("secret"));
    LogView view(&client);
    LogTarget target{QStringLiteral("default"),
                     QStringLiteral("web-1"),
                     QString(),
                     QStringLiteral("nginx"),
                     50,
                     true};
    view.follow(target);

    QTRY_COMPARE(m_sockets.size(), 1);
    QWebSocket *first = m_sockets[0];
    const QUrlQuery q1(first->requestUrl());
    QCOMPARE(first->requestUrl().path(), QStringLiteral("/ws/pod-logs"));
    QCOMPARE(q1.queryItemValue("namespace"), QStringLiteral("default"));
    QCOMPARE(q1.queryItemValue("pod"), QStringLiteral("web-1"));
    QCOMPARE(q1.queryItemValue("container"), QStringLiteral("nginx"));
    QCOMPARE(q1.queryItemValue("tailLines"), QStringLiteral("50"));
    QCOMPARE(q1.queryItemValue("timestamps"), QStringLiteral("true"));
    QVERIFY(!q1.hasQueryItem("resume"));
    QCOMPARE(first->request().rawHeader("Authorization"), QByteArray("Bearer secret"));

    first->sendTextMessage(message({{"type", "stream"}, {"state", "streaming"}}));
    first->sendTextMessage(logMessage(0, 6));
    first->sendTextMessage(logMessage(6, 4));
    QTRY_COMPARE(view.receivedTotal(), qint64(10));
    first->abort(); // the connection drops

    QTRY_COMPARE_WITH_TIMEOUT(m_sockets.size(), 2, 10'000);
    QWebSocket *second = m_sockets[1];
    QCOMPARE(QUrlQuery(second->requestUrl()).queryItemValue("resume"), QStringLiteral("10"));
    // The server replays one line the client has, says 5 are gone, and goes on.
    second->sendTextMessage(logMessage(9, 1));
    second->sendTextMessage(message({{"type", "gap"}, {"missed", 5}}));
    second->sendTextMessage(logMessage(15, 5));
    QTRY_COMPARE(view.receivedTotal(), qint64(15));
    second->sendTextMessage(
        message({{"type", "stream"}, {"state", "ended"}, {"detail", "pod deleted"}}));
    second->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("log ended"));
    QTRY_VERIFY(!view.stream()->isRunning());

    LogModel *model = view.model();
    QTRY_VERIFY(model->rowCount() >= 18);
    QList<qint64> seqs;
    QStringList kinds;
    for (int r = 0; r < model->rowCount(); ++r) {
        switch (model->kindAt(r)) {
        case LogModel::Kind::Line:
            seqs << model->seqAt(r);
            break;
        case LogModel::Kind::Gap:
            kinds << QStringLiteral("gap");
            QVERIFY(model->displayText(r).contains(QStringLiteral("5 line")));
            break;
        case LogModel::Kind::Reconnect:
            kinds << QStringLiteral("reconnect");
            break;
        case LogModel::Kind::Info:
            break;
        }
    }
    QCOMPARE(seqs, (QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 18, 19}));
    // Lost, reconnected, gap, ended.
    QCOMPARE(kinds, (QStringList{"reconnect", "reconnect", "gap", "reconnect"}));
    QCOMPARE(model->displayText(model->rowCount() - 1).contains(QStringLiteral("ended")), true);
    QTest::qWait(700);
    QCOMPARE(m_sockets.size(), 2); // an ended stream is not reopened
}

void TestUiLogStream::refusedStreamIsNotRetried() {
    ApiClient client(base(), QString());
    LogTarget target{QStringLiteral("default"), QString(), QStringLiteral("image-puller-x"),
                     QStringLiteral("push-to-harbor")};
    LogStream *stream = client.openLogStream(target, this);
    QSignalSpy failed(stream, &LogStream::failed);
    stream->start();
    QTRY_COMPARE(m_sockets.size(), 1);
    QCOMPARE(QUrlQuery(m_sockets[0]->requestUrl()).queryItemValue("job"),
             QStringLiteral("image-puller-x"));
    QVERIFY(m_sockets[0]->request().rawHeader("Authorization").isEmpty());
    m_sockets[0]->sendTextMessage(
        message({{"type", "error"}, {"error", "container \"x\" is not valid"}}));
    m_sockets[0]->close(QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("container \"x\" is not valid"));
    QTRY_VERIFY(!stream->isRunning());
    QTest::qWait(1200);
    QCOMPARE(m_sockets.size(), 1);
    delete stream;
}

QTEST_MAIN(TestUiLogStream)
#include "tst_ui_logstream.moc"
