#pragma once

// Shared by the WebSocket suites: the real API server on an in-process simulated cluster,
// QWebSocket clients that record what they get, and a raw client for what a well-behaved
// client never does (stop reading, never answer pings, send oversized frames).

#include "cache/responsecache.h"
#include "core/clock.h"
#include "core/wsprotocolname.h"
#include "core/pullhistory.h"
#include "kube/kubeclient.h"
#include "kube/kubeconfig.h"
#include "kubesim/kubesim.h"
#include "pulls/pullservice.h"
#include "server/apiserver.h"
#include "server/wsapi.h"
#include "logs/logfanouts.h"
#include "logs/podcatalog.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <memory>

namespace WsTest {

// What a client asks for in the handshake: Pullwatch's own messages (the default of these
// clients, as of the window and the web UI), or nothing (a client of the original service).
inline QStringList askV2()
{
    return {WsProtocolName::v2()};
}

inline void openSocket(QWebSocket &socket, const QUrl &url, const QStringList &subprotocols)
{
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(subprotocols);
    socket.open(url, options);
}

// Runs the event loop until `condition` holds. QTRY_* and QTest::qWait sleep 10 ms between
// event-loop passes, which throttles a stream of a million lines to a crawl; this loop
// never sleeps while there is work (it is QSignalSpy::wait with a condition).
template <typename Condition>
bool waitFor(Condition condition, int timeoutMs)
{
    if (condition())
        return true;
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (condition())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start(5);
    loop.exec();
    return condition();
}

class MemoryHistory : public PullHistory
{
public:
    void load(Loaded done) override
    {
        QTimer::singleShot(0, this, [done] { done({}, {}); });
    }
    void record(const PullJob &) override {}
    void flush() override {}
    QString backendName() const override { return QStringLiteral("memory"); }
};

// Simulated cluster + client + pull service + API server, all in this thread.
class Fixture
{
public:
    ~Fixture()
    {
        if (server)
            server->stop();
        server.reset();
        if (pulls)
            pulls->stop();
        pulls.reset();
        delete kube;
        if (sim)
            sim->stop();
    }

    // `scenario`: the kubesim scenario file's JSON (empty: built-in).
    bool start(const WsConfig &ws = {}, const QByteArray &scenario = {}, bool demo = false)
    {
        KubeSimConfig config;
        config.demoWorkloads = demo;
        if (!scenario.isEmpty()) {
            config.scenarioFile = dir.filePath(QStringLiteral("scenario.json"));
            QFile f(config.scenarioFile);
            if (!f.open(QIODevice::WriteOnly) || f.write(scenario) != scenario.size())
                return false;
        }
        sim = std::make_unique<KubeSim>(config);
        QString error;
        if (!sim->start(&error)) {
            qWarning() << error;
            return false;
        }
        KubeConfig kc;
        kc.server = sim->url();
        const auto client = KubeClient::create(kc);
        if (!client.ok()) {
            qWarning() << client.error();
            return false;
        }
        kube = client.value();
        PullSettings settings;
        settings.pullBackOffGraceSeconds = 1;
        pulls = std::make_unique<PullService>(kube, settings, &history, Clock::system());
        pulls->start();
        cache = std::make_unique<ResponseCache>(Clock::system(), nullptr);
        ServerConfig sc;
        sc.port = 0;
        ApiServices services{pulls.get(), cache.get(), kube, ws};
        server = std::make_unique<ApiServer>(sc, services);
        if (!server->start(&error)) {
            qWarning() << error;
            return false;
        }
        return true;
    }

    QUrl url(const QString &path, const QString &query = {}) const
    {
        QUrl u(server->baseUrl() + path);
        u.setScheme(QStringLiteral("ws"));
        if (!query.isEmpty())
            u.setQuery(query);
        return u;
    }
    QUrl httpUrl(const QString &path, const QString &query = {}) const
    {
        QUrl u(server->baseUrl() + path);
        if (!query.isEmpty())
            u.setQuery(query);
        return u;
    }
    const WsStats &stats() const { return server->ws()->stats(); }

    // Starts one pull and returns its job id (empty on failure).
    QString startPull(const QString &image)
    {
        QString id;
        bool done = false;
        pulls->startPulls({image}, [&](const QStringList &ids, const std::optional<PullError> &e) {
            if (!e && !ids.isEmpty())
                id = ids.first();
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            return {};
        return id;
    }
    // The pod of a job once the pull service has seen it.
    QString podOf(const QString &jobId)
    {
        QString pod;
        (void)QTest::qWaitFor(
            [&] {
                const auto job = pulls->tracker()->find(jobId);
                if (job)
                    pod = job->podName;
                return !pod.isEmpty();
            },
            20000);
        return pod;
    }

    QTemporaryDir dir;
    std::unique_ptr<KubeSim> sim;
    KubeClient *kube = nullptr;
    MemoryHistory history;
    std::unique_ptr<PullService> pulls;
    std::unique_ptr<ResponseCache> cache;
    std::unique_ptr<ApiServer> server;
};

// A QWebSocket that keeps every message (parsed) and how it was closed.
class Client : public QObject
{
public:
    explicit Client(const QUrl &url, const QStringList &subprotocols = askV2())
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &m) {
            messages.append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
            closeReason = socket.closeReason();
        });
        openSocket(socket, url, subprotocols);
    }
    void send(const QString &text) { socket.sendTextMessage(text); }
    void send(const QJsonObject &o)
    {
        send(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages)
            if (m.value(QStringLiteral("type")).toString() == type)
                out.append(m);
        return out;
    }
    QJsonObject last() const { return messages.isEmpty() ? QJsonObject() : messages.last(); }

    QWebSocket socket;
    QList<QJsonObject> messages;
    bool connected = false;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;
};

// A log viewer that checks every line as it arrives: frames in seq order, whole lines,
// and (for chatty logs) the counter in each line equal to its seq.
class LogClient : public QObject
{
public:
    explicit LogClient(const QUrl &url, bool checkCounter = true,
                       const QStringList &subprotocols = askV2())
        : m_checkCounter(checkCounter)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, &LogClient::onMessage);
        connect(&socket, &QWebSocket::disconnected, this, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
            closeReason = socket.closeReason();
        });
        openSocket(socket, url, subprotocols);
    }

    void onMessage(const QString &m)
    {
        const QJsonObject o = QJsonDocument::fromJson(m.toUtf8()).object();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (type != QStringLiteral("log")) {
            others.append(o);
            if (type == QStringLiteral("gap")) {
                const qint64 missed = qint64(o.value(QStringLiteral("missed")).toDouble());
                gaps += missed;
                if (nextSeq >= 0)
                    nextSeq += missed;
            }
            // Each container of a job= stream numbers its lines from its own start.
            const QString c = o.value(QStringLiteral("container")).toString();
            if (type == QStringLiteral("stream") && !c.isEmpty() && c != container) {
                container = c;
                nextSeq = -1;
            }
            return;
        }
        ++frames;
        const qint64 seq = qint64(o.value(QStringLiteral("seq")).toDouble());
        const int count = o.value(QStringLiteral("lines")).toInt();
        const QString data = o.value(QStringLiteral("data")).toString();
        if (firstSeq < 0)
            firstSeq = seq;
        if (nextSeq < 0)
            nextSeq = seq;
        if (seq != nextSeq && errors.size() < 10)
            errors.append(QStringLiteral("frame seq %1, expected %2").arg(seq).arg(nextSeq));
        if (!data.endsWith(u'\n') && errors.size() < 10)
            errors.append(QStringLiteral("frame at %1 does not end with a whole line").arg(seq));
        int n = 0;
        qsizetype start = 0;
        while (start < data.size()) {
            const qsizetype end = data.indexOf(u'\n', start);
            const QStringView line = QStringView(data).mid(start, end - start);
            if (m_checkCounter) {
                const qsizetype at = line.indexOf(u"seq=");
                const qsizetype stop = line.indexOf(u' ', at);
                const qint64 counter = at < 0 ? -1 : line.mid(at + 4, stop - at - 4).toLongLong();
                if (counter != seq + n && errors.size() < 10)
                    errors.append(QStringLiteral("line %1 carries counter %2")
                                      .arg(seq + n)
                                      .arg(counter));
            }
            if (keepLines)
                lines.append(line.toString());
            ++n;
            start = end + 1;
        }
        if (n != count && errors.size() < 10)
            errors.append(QStringLiteral("frame at %1 says %2 lines, holds %3").arg(seq).arg(count).arg(n));
        received += n;
        nextSeq = seq + count;
    }
    bool ended() const
    {
        for (const QJsonObject &o : others)
            if (o.value(QStringLiteral("type")).toString() == QStringLiteral("stream")
                && o.value(QStringLiteral("state")).toString() == QStringLiteral("ended"))
                return true;
        return false;
    }
    // The last message of `type` (that has `field`, when given); empty if none.
    QJsonObject last(const QString &type, const QString &field = QString()) const
    {
        for (auto it = others.crbegin(); it != others.crend(); ++it)
            if (it->value(QStringLiteral("type")).toString() == type
                && (field.isEmpty() || it->contains(field)))
                return *it;
        return {};
    }
    QStringList states() const
    {
        QStringList out;
        for (const QJsonObject &o : others)
            if (o.value(QStringLiteral("type")).toString() == QStringLiteral("stream"))
                out.append(o.value(QStringLiteral("state")).toString());
        return out;
    }

    QWebSocket socket;
    QString container;
    qint64 firstSeq = -1; // seq of the first frame
    qint64 nextSeq = -1;  // < 0: whatever comes first
    qint64 received = 0;
    qint64 frames = 0;
    qint64 gaps = 0;
    bool keepLines = false;
    QStringList lines;
    QStringList errors;
    QList<QJsonObject> others;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;

private:
    bool m_checkCounter;
};

// A viewer of `url` reads 3,000 lines and leaves, the last one: its shared stream ends. Where
// it would resume, and the id of its stream (from its last "stream" message).
inline void readAndLeave(Fixture &f, const QUrl &url, qint64 *resumeAt, QString *streamId)
{
    LogClient viewer(url);
    QVERIFY(waitFor([&] { return viewer.received >= 3000; }, 30000));
    QVERIFY2(viewer.errors.isEmpty(), qPrintable(viewer.errors.join(u'\n')));
    *resumeAt = viewer.nextSeq;
    *streamId = viewer.last(QStringLiteral("stream"), QStringLiteral("stream"))
                    .value(QStringLiteral("stream"))
                    .toString();
    viewer.socket.close();
    // The only viewer left: the shared stream is gone.
    QVERIFY(waitFor([&] { return f.server->ws()->logStreams()->streamCount() == 0; }, 10000));
}

// A WebSocket client by hand: handshake, then reads only when told to; parses server
// frames (unmasked) and sends masked client frames of any size.
class RawClient : public QObject
{
public:
    // `protocol`: the Sec-WebSocket-Protocol header to send (empty: none).
    RawClient(quint16 port, const QByteArray &target,
              const QByteArray &protocol = WsProtocolName::v2().toLatin1())
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] {
            if (reading)
                readSome();
        });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { disconnected = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
        socket.waitForConnected(5000);
        socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                     + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n"
                     + (protocol.isEmpty() ? QByteArray()
                                           : "Sec-WebSocket-Protocol: " + protocol + "\r\n")
                     + "\r\n");
    }
    // A header of the handshake answer (name in lower case); empty if absent.
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    // Reads the handshake answer; returns its status (101 for an upgrade).
    int handshake()
    {
        (void)QTest::qWaitFor([this] {
            buffer += socket.readAll();
            return buffer.contains("\r\n\r\n") || disconnected;
        }, 5000);
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return 0;
        head = buffer.left(end);
        buffer.remove(0, end + 4);
        const int status = head.mid(9, 3).toInt();
        if (status == 101) {
            reading = true;
            parse();
        } else {
            // The body follows (Content-Length).
            const qsizetype at = head.toLower().indexOf("content-length:");
            const int length = at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toInt();
            (void)QTest::qWaitFor([&] {
                buffer += socket.readAll();
                return buffer.size() >= length || disconnected;
            }, 5000);
            body = buffer.left(length);
        }
        return status;
    }
    void stopReading()
    {
        reading = false;
        socket.setReadBufferSize(4096);
    }
    void startReading()
    {
        reading = true;
        socket.setReadBufferSize(0);
        readSome();
    }
    void readSome()
    {
        buffer += socket.readAll();
        parse();
    }
    void sendFrame(quint8 opcode, const QByteArray &payload)
    {
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        const quint64 n = quint64(payload.size());
        if (n < 126) {
            frame.append(char(0x80 | n));
        } else if (n < 65536) {
            frame.append(char(0x80 | 126));
            frame.append(char(n >> 8)).append(char(n & 0xff));
        } else {
            frame.append(char(0x80 | 127));
            for (int i = 7; i >= 0; --i)
                frame.append(char((n >> (8 * i)) & 0xff));
        }
        const char mask[4] = {0x12, 0x34, 0x56, 0x78};
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ mask[i % 4]));
        socket.write(frame);
    }

    QTcpSocket socket;
    QByteArray buffer;
    QByteArray head;
    QByteArray body;
    QList<QByteArray> texts;
    int pings = 0;
    int closeCode = -1;
    qint64 frameBytes = 0;
    bool reading = false;
    bool disconnected = false;

private:
    void parse()
    {
        qsizetype pos = 0;
        for (;;) {
            if (buffer.size() - pos < 2)
                break;
            const auto b0 = quint8(buffer[pos]);
            quint64 len = quint8(buffer[pos + 1]) & 0x7f;
            qsizetype header = 2;
            if (len == 126) {
                if (buffer.size() - pos < 4)
                    break;
                len = (quint64(quint8(buffer[pos + 2])) << 8) | quint8(buffer[pos + 3]);
                header = 4;
            } else if (len == 127) {
                if (buffer.size() - pos < 10)
                    break;
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | quint8(buffer[pos + 2 + i]);
                header = 10;
            }
            if (quint64(buffer.size() - pos - header) < len)
                break;
            const QByteArray payload = buffer.mid(pos + header, qsizetype(len));
            pos += header + qsizetype(len);
            frameBytes += qint64(len);
            const int opcode = b0 & 0x0f;
            if (opcode == 0x1 && texts.size() < 100000)
                texts.append(payload.left(200));
            else if (opcode == 0x9)
                ++pings;
            else if (opcode == 0x8 && payload.size() >= 2)
                closeCode = (quint8(payload[0]) << 8) | quint8(payload[1]);
        }
        buffer.remove(0, pos);
    }
};

} // namespace WsTest
