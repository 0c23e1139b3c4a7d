// The log stream protocol as the window speaks it (docs/architecture.md §4 /ws/pod-logs), against a
// scripted loopback WebSocket server: the pullwatch.v2 subprotocol (docs/api.md "Protocol
// versions"), query parameters and bearer token, batches with line
// numbers, reconnection with resume=<next line>, gap and reconnect markers in the view,
// a refused stream that is not retried.
#include "pullwatchprocess.h"

#include "core/logframe.h"

#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logstream.h"
#include "ui/logview.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace pw::core;
using namespace pw::ui;

namespace {

QString message(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// `count` lines "<text> <n>" at one timestamp, numbered from `first`, as the server writes
// them (LogFrameWriter).
QString logMessageAt(qint64 first, int count, const QString &timestamp, const QString &text) {
    QByteArray out;
    LogFrameWriter::beginLog(out);
    for (int i = 0; i < count; ++i)
        LogFrameWriter::appendLine(out, timestamp.toUtf8(),
                                   QStringLiteral("%1 %2").arg(text).arg(first + i).toUtf8());
    LogFrameWriter::endLog(out, first, count);
    return QString::fromUtf8(out);
}

QString logMessage(qint64 first, int count) {
    return logMessageAt(first, count, QStringLiteral("2026-11-27T10:00:00.000000001Z"),
                        QStringLiteral("line"));
}

// The "chatty seq=N" counter of a kubesim generated line, or -1.
qint64 chattyCounter(const QString &line) {
    static const QRegularExpression re(QStringLiteral("chatty seq=(\\d+)"));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

// A loopback TCP relay in front of the real server, so a test can drop every connection the
// way a network does and refuse new ones for a while.
class Relay : public QObject {
public:
    explicit Relay(quint16 backendPort)
        : m_backendPort(backendPort) {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                relay(client);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    // Drops every connection; new ones are closed at once while `refusing`.
    void cut() {
        const auto sockets = m_sockets;
        for (const QPointer<QTcpSocket> &s : sockets)
            if (s)
                s->abort();
    }
    bool refusing = false;

private:
    void relay(QTcpSocket *client) {
        client->setParent(this);
        if (refusing) {
            client->abort();
            client->deleteLater();
            return;
        }
        auto *backend = new QTcpSocket(this);
        m_sockets << client << backend;
        auto pipe = [](QTcpSocket *from, QTcpSocket *to) {
            connect(from, &QTcpSocket::readyRead, to, [from, to] {
                if (to->state() == QAbstractSocket::ConnectedState)
                    to->write(from->readAll());
            });
            connect(from, &QTcpSocket::disconnected, to, [to] { to->disconnectFromHost(); });
        };
        pipe(client, backend);
        pipe(backend, client);
        connect(backend, &QTcpSocket::connected, client, [client, backend] {
            backend->write(client->readAll()); // what came before the backend was connected
        });
        backend->connectToHost(QHostAddress::LocalHost, m_backendPort);
    }

    quint16 m_backendPort;
    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
};

} // namespace

class TestUiLogStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void resumesAfterDropWithMarkers();
    void refusedStreamIsNotRetried();
    void mergedResumesPerSource();
    void resumeAfterServerStreamRestarted();
    void resumeNamesTheStreamOfItsNumbers();

private:
    QWebSocketServer *m_server = nullptr;
    QList<QWebSocket *> m_sockets;
    QUrl base() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()));
    }
};

void TestUiLogStream::init() {
    m_server = new QWebSocketServer(QStringLiteral("logs"), QWebSocketServer::NonSecureMode, this);
    // As the real server does: the handshake answers the subprotocol the client asked for.
    m_server->setSupportedSubprotocols({QStringLiteral("pullwatch.v2")});
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
    // The window reads v2 messages (stream states, gaps): it asks for them in the handshake.
    QCOMPARE(first->subprotocol(), QStringLiteral("pullwatch.v2"));

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
    // Lost, reconnected, gap; the end is not a fault: an information marker that says so.
    QCOMPARE(kinds, (QStringList{"reconnect", "reconnect", "gap"}));
    QCOMPARE(model->kindAt(model->rowCount() - 1), LogModel::Kind::Info);
    QCOMPARE(model->displayText(model->rowCount() - 1), QStringLiteral("— log ended: pod deleted —"));
    QTest::qWait(700);
    QCOMPARE(m_sockets.size(), 2); // an ended stream is not reopened
}

// Merged mode (container=*): frames name their pod/container and count per source; a dropped
// connection resumes every source where it stopped (resume=POD/CONTAINER:STREAM:SEQ,…), a
// source's ended state is a marker and not the end of the stream, and a deleted pod's sources
// are not resumed.
void TestUiLogStream::mergedResumesPerSource() {
    ApiClient client(base(), QString());
    LogView view(&client);
    LogTarget target{QStringLiteral("default"), QString(), QStringLiteral("pull-1"),
                     QStringLiteral("*")};
    target.sinceSeconds = 300;
    view.follow(target);
    QTRY_COMPARE(m_sockets.size(), 1);
    QWebSocket *first = m_sockets[0];
    const QUrlQuery q1(first->requestUrl());
    QCOMPARE(q1.queryItemValue("container"), QStringLiteral("*"));
    QCOMPARE(q1.queryItemValue("sinceSeconds"), QStringLiteral("300"));
    QVERIFY(!q1.hasQueryItem("resume"));
    auto source = [](const char *pod, const char *container, qint64 seq, int n) {
        QString data;
        for (int i = 0; i < n; ++i)
            data += QStringLiteral("2026-12-06T05:00:00Z %1/%2 line %3\n")
                        .arg(QLatin1String(pod), QLatin1String(container))
                        .arg(seq + i);
        return message({{"type", "log"},
                        {"pod", pod},
                        {"container", container},
                        {"data", data},
                        {"seq", double(seq)},
                        {"lines", n}});
    };
    auto state = [](const char *pod, const char *container, const char *st, const char *id) {
        QJsonObject o{{"type", "stream"}, {"state", st}, {"pod", pod}};
        if (container)
            o.insert("container", container);
        if (id)
            o.insert("stream", id);
        return message(o);
    };
    first->sendTextMessage(state("p1", "pull-source", "streaming", "s1"));
    first->sendTextMessage(source("p1", "pull-source", 0, 3));
    first->sendTextMessage(state("p1", "push", "streaming", "s2"));
    first->sendTextMessage(source("p1", "push", 0, 2));
    first->sendTextMessage(source("p1", "pull-source", 3, 2));
    first->sendTextMessage(
        message({{"type", "stream"},
                 {"state", "ended"},
                 {"pod", "p1"},
                 {"container", "pull-source"},
                 {"detail", "container pull-source terminated (Completed, exit code 0)"}}));
    first->sendTextMessage(state("p0", "main", "streaming", "s0"));
    first->sendTextMessage(source("p0", "main", 7, 1));
    first->sendTextMessage(message(
        {{"type", "stream"}, {"state", "ended"}, {"pod", "p0"}, {"detail", "pod p0 was deleted"}}));
    QTRY_COMPARE(view.receivedTotal(), qint64(8));
    QVERIFY(view.stream()->isRunning()); // a source that ended is not the end
    first->abort();

    QTRY_COMPARE_WITH_TIMEOUT(m_sockets.size(), 2, 10'000);
    QStringList resume = QUrlQuery(m_sockets[1]->requestUrl()).queryItemValue("resume").split(u',');
    resume.sort();
    QCOMPARE(resume, (QStringList{"p1/pull-source:s1:5", "p1/push:s2:2"}));
    // A replayed line of a source is dropped by its number; the other source's go on.
    m_sockets[1]->sendTextMessage(source("p1", "push", 1, 3));
    QTRY_COMPARE(view.receivedTotal(), qint64(10));
    LogModel *model = view.model();
    QTRY_VERIFY(model->rowCount() > 0 &&
                model->displayText(model->rowCount() - 1).endsWith(QStringLiteral("push line 3")));

    QStringList lines;
    QStringList markers;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->kindAt(r) == LogModel::Kind::Line) {
            lines << model->sourceAt(r) + u' ' + model->displayText(r).section(u' ', 2);
            QCOMPARE(model->displayText(r).section(u' ', 1, 1), model->sourceAt(r));
        } else {
            markers << model->displayText(r);
        }
    }
    QCOMPARE(lines, (QStringList{"p1/pull-source line 0", "p1/pull-source line 1",
                                 "p1/pull-source line 2", "p1/push line 0", "p1/push line 1",
                                 "p1/pull-source line 3", "p1/pull-source line 4", "p0/main line 7",
                                 "p1/push line 2", "p1/push line 3"}));
    QVERIFY2(markers.contains(QStringLiteral("— p1/pull-source: container exited (code 0) —")),
             qPrintable(markers.join(u'\n')));
    QVERIFY(markers.contains(QStringLiteral("— p0: pod deleted —")));
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

// The bug: the view resumed with resume=N after the server's shared stream had ended (its
// only viewer had dropped), the new stream numbered its lines from 0 again, and the client
// dropped every line below N as "already have" — the view silently showed nothing for the
// next N lines. Real server (`pullwatch --headless --demo`, kubesim inside), real LogView;
// the test drops the connection through a relay.
void TestUiLogStream::resumeAfterServerStreamRestarted() {
    PullwatchProcess backend;
    QVERIFY2(backend.start(
                 {"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level", "warning"}),
             qPrintable(backend.error()));
    QProcess *p = &backend.process();
    connect(p, &QProcess::readyReadStandardError, p, [p] { p->readAllStandardError(); });
    connect(p, &QProcess::readyReadStandardOutput, p, [p] { p->readAllStandardOutput(); });
    Relay relay(quint16(backend.baseUrl().port()));
    QVERIFY(relay.listen());

    ApiClient client(relay.url(), QString());
    QSignalSpy started(&client, &ApiClient::pullsStarted);
    client.startPulls({QStringLiteral("chatty/restart:1")}); // 50 lines/s, endless
    QVERIFY(started.wait(10'000));
    const QString id = started.at(0).at(0).toStringList().value(0);
    QVERIFY(!id.isEmpty());

    LogView view(&client);
    LogTarget target;
    target.namespaceName = QStringLiteral("default");
    target.job = id;
    target.container = QStringLiteral("push-to-harbor");
    // The new stream's tail (300 lines, 6 s of this log) covers the time the connection is
    // down but not the whole log, so its numbers differ from the old stream's.
    target.tailLines = 300;
    view.follow(target);
    QTRY_VERIFY_WITH_TIMEOUT(view.stream()->nextSeq() >= 500, 60'000);

    // The connection drops and stays down long enough for the server to end the stream
    // (its only viewer left); the client then resumes into a new stream numbered from 0.
    relay.refusing = true;
    relay.cut();
    QTest::qWait(800);
    const qint64 resumeAt = view.stream()->nextSeq();
    const qint64 receivedAtCut = view.receivedTotal();
    relay.refusing = false;

    LogModel *model = view.model();
    auto lastCounter = [model] {
        for (int r = model->rowCount() - 1; r >= 0; --r)
            if (model->kindAt(r) == LogModel::Kind::Line)
                return chattyCounter(model->displayText(r));
        return qint64(-1);
    };
    const qint64 counterAtCut = lastCounter();
    QVERIFY(counterAtCut >= 0);
    // 100 new lines (2 s of the log) arrive promptly; with the bug the client dropped the
    // first ~500 lines of the new stream and kept numbers far above the new stream's.
    QTRY_VERIFY_WITH_TIMEOUT(lastCounter() >= counterAtCut + 100, 5'000);
    QVERIFY(view.receivedTotal() > receivedAtCut);
    QVERIFY2(view.stream()->nextSeq() < resumeAt,
             qPrintable(QStringLiteral("nextSeq %1, resumed at %2")
                            .arg(view.stream()->nextSeq())
                            .arg(resumeAt)));

    // Every line once, in order, through the restart: the replayed tail is dropped by
    // timestamp; the gap marker is shown where the numbering restarted.
    qint64 previous = -1;
    int gapsAfterCut = 0;
    bool cutSeen = false;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->kindAt(r) == LogModel::Kind::Gap && cutSeen) {
            ++gapsAfterCut; // and it says what happened: nothing was missed
            QVERIFY2(model->displayText(r).contains(QStringLiteral("restarted")),
                     qPrintable(model->displayText(r)));
        }
        if (model->kindAt(r) != LogModel::Kind::Line)
            continue;
        const qint64 counter = chattyCounter(model->displayText(r));
        QVERIFY2(counter >= 0, qPrintable(model->displayText(r)));
        if (previous >= 0)
            QVERIFY2(
                counter == previous + 1,
                qPrintable(
                    QStringLiteral("line %1 after %2 (row %3)").arg(counter).arg(previous).arg(r)));
        previous = counter;
        cutSeen = cutSeen || counter == counterAtCut;
    }
    QCOMPARE(gapsAfterCut, 1);
    view.stop();
    backend.terminate();
}

// The bug: resume=N was a number without the stream it counted in; a server whose shared
// stream had ended and been replaced by a newer one already past N took N as a line of the
// newer stream. The client now sends the id of the stream from its "stream" messages, and a
// new id in the same connection (the next pod of a job) starts the numbers over rather than
// dropping the new stream's first lines as "already have".
void TestUiLogStream::resumeNamesTheStreamOfItsNumbers() {
    ApiClient client(base(), QString());
    LogView view(&client);
    LogTarget target;
    target.namespaceName = QStringLiteral("default");
    target.job = QStringLiteral("image-puller-x");
    target.container = QStringLiteral("push-to-harbor");
    view.follow(target);

    QTRY_COMPARE(m_sockets.size(), 1);
    QWebSocket *first = m_sockets[0];
    QVERIFY(!QUrlQuery(first->requestUrl()).hasQueryItem("resume"));
    QVERIFY(!QUrlQuery(first->requestUrl()).hasQueryItem("stream"));
    first->sendTextMessage(
        message({{"type", "stream"}, {"state", "streaming"}, {"stream", "0000aaaa"}}));
    first->sendTextMessage(
        logMessageAt(0, 10, QStringLiteral("2026-11-27T10:00:01Z"), QStringLiteral("pod-1")));
    QTRY_COMPARE(view.receivedTotal(), qint64(10));
    QCOMPARE(view.stream()->streamId(), QStringLiteral("0000aaaa"));
    // The job's next pod: another stream, numbered from 0; nothing of it is "already had".
    first->sendTextMessage(message({{"type", "stream"},
                                    {"state", "streaming"},
                                    {"pod", "pod-2"},
                                    {"stream", "0000bbbb"}}));
    first->sendTextMessage(
        logMessageAt(0, 5, QStringLiteral("2026-11-27T10:00:02.5Z"), QStringLiteral("pod-2")));
    QTRY_COMPARE(view.receivedTotal(), qint64(15));
    QCOMPARE(view.stream()->nextSeq(), qint64(5));
    first->abort();

    QTRY_COMPARE_WITH_TIMEOUT(m_sockets.size(), 2, 10'000);
    QWebSocket *second = m_sockets[1];
    const QUrlQuery q2(second->requestUrl());
    QCOMPARE(q2.queryItemValue("resume"), QStringLiteral("5"));
    QCOMPARE(q2.queryItemValue("stream"), QStringLiteral("0000bbbb"));
    // That stream is gone: the server restarts the numbering under a new id, replaying a
    // tail of which the first line was shown already.
    second->sendTextMessage(message(
        {{"type", "gap"}, {"missed", 0}, {"restarted", true}, {"seq", 0}, {"detail", "gone"}}));
    second->sendTextMessage(message({{"type", "stream"},
                                     {"state", "streaming"},
                                     {"pod", "pod-2"},
                                     {"stream", "0000cccc"}}));
    second->sendTextMessage(
        logMessageAt(0, 1, QStringLiteral("2026-11-27T10:00:02.5Z"), QStringLiteral("pod-2")));
    second->sendTextMessage(
        logMessageAt(1, 3, QStringLiteral("2026-11-27T10:00:02.75Z"), QStringLiteral("pod-2")));
    QTRY_COMPARE(view.receivedTotal(), qint64(18));
    QCOMPARE(view.stream()->nextSeq(), qint64(4));
    second->abort();

    QTRY_COMPARE_WITH_TIMEOUT(m_sockets.size(), 3, 10'000);
    const QUrlQuery q3(m_sockets[2]->requestUrl());
    QCOMPARE(q3.queryItemValue("resume"), QStringLiteral("4"));
    QCOMPARE(q3.queryItemValue("stream"), QStringLiteral("0000cccc"));
    view.stop();
}

QTEST_MAIN(TestUiLogStream)
#include "tst_ui_logstream.moc"
