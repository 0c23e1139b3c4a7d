#include "httpserverfixture.h"

#include "http/httpdate.h"
#include "http/httpreply.h"
#include "http/httpresponder.h"
#include "http/httpstream.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <memory>

using namespace pw::http;

// A WebSocket frame as a client sends it: FIN, `opcode`, masked unless `masked` is false.
QByteArray wsFrame(quint8 opcode, const QByteArray &payload, bool masked) {
    QByteArray f;
    f += char(0x80 | opcode);
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        f += char(maskBit | char(payload.size()));
    } else {
        f += char(maskBit | 126);
        f += char((payload.size() >> 8) & 0xff);
        f += char(payload.size() & 0xff);
    }
    const QByteArray key = masked ? QByteArray("\x12\x34\x56\x78") : QByteArray();
    f += key;
    for (qsizetype i = 0; i < payload.size(); ++i)
        f += masked ? char(payload[i] ^ key[i % 4]) : payload[i];
    return f;
}

QByteArray wsHandshake() {
    return "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

// 8 MB, more than the kernel's socket buffers take at once: the server's direct write is
// partial and the rest is queued.
QByteArray bigBody() {
    static const QByteArray body = [] {
        QByteArray b;
        for (int i = 0; b.size() < 8 * 1024 * 1024; ++i)
            b += QByteArray::number(i) + ',';
        return b;
    }();
    return body;
}

void HttpServerFixture::startServer(const HttpLimits &limits) {
    m_server = std::make_unique<HttpServer>();
    m_server->setLimits(limits);
    m_ws =
        std::make_unique<QWebSocketServer>(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    connect(m_ws.get(), &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_ws->nextPendingConnection()) {
            connect(socket, &QWebSocket::textMessageReceived, socket, [socket](const QString &m) {
                socket->sendTextMessage(QStringLiteral("echo:") + m);
            });
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    HttpRouter &r = m_server->router();
    r.add("GET", QStringLiteral("/hello"), [](const HttpRequest &, HttpResponder res) {
        res.send(HttpResponse::text(200, "hello"));
    });
    r.add("GET", QStringLiteral("/items/{id}"), [](const HttpRequest &req, HttpResponder res) {
        res.send(HttpResponse::text(200, req.pathParam(QStringLiteral("id")).toUtf8() + '|' +
                                             req.queryValue(QStringLiteral("q")).toUtf8()));
    });
    r.add("POST", QStringLiteral("/echo"), [](const HttpRequest &req, HttpResponder res) {
        res.send(HttpResponse::text(200, req.body));
    });
    r.add("DELETE", QStringLiteral("/items/{id}"),
          [](const HttpRequest &, HttpResponder res) { res.send(HttpResponse::text(204, {})); });
    r.add("GET", QStringLiteral("/slow"), [this](const HttpRequest &, HttpResponder res) {
        auto holder = std::make_shared<HttpResponder>(std::move(res));
        QTimer::singleShot(200, this, [holder] { holder->send(HttpResponse::text(200, "slow")); });
    });
    r.add("GET", QStringLiteral("/big"), [](const HttpRequest &, HttpResponder res) {
        res.send(HttpResponse::text(200, bigBody()));
    });
    r.add("GET", QStringLiteral("/32k/{n}"), [](const HttpRequest &req, HttpResponder res) {
        res.send(HttpResponse::text(200, req.pathParam(QStringLiteral("n")).toUtf8() + ':' +
                                             QByteArray(32 * 1024, 'k')));
    });
    r.add("GET", QStringLiteral("/forget"), [](const HttpRequest &, HttpResponder) {});
    // Copies of one HttpReply kept by two callbacks, neither of which answers.
    r.add("GET", QStringLiteral("/reply-forget"), [this](const HttpRequest &, HttpReply reply) {
        QTimer::singleShot(20, this, [reply] { Q_UNUSED(reply); });
        QTimer::singleShot(40, this, [reply] { Q_UNUSED(reply); });
    });
    // Two copies answer: the first answer is the one sent, the later one does nothing.
    r.add("GET", QStringLiteral("/reply-twice"), [this](const HttpRequest &, HttpReply reply) {
        const HttpReply later = reply;
        reply.send(HttpResponse::text(200, "first"));
        QTimer::singleShot(20, this, [later] { later.send(HttpResponse::text(201, "second")); });
    });
    r.add("GET", QStringLiteral("/stream"), [this](const HttpRequest &, HttpResponder res) {
        QPointer<HttpStream> stream = res.startStream(200, {{"Content-Type", "text/plain"}});
        auto *timer = new QTimer(this);
        auto count = std::make_shared<int>(0);
        connect(timer, &QTimer::timeout, this, [stream, timer, count] {
            if (!stream) {
                timer->deleteLater();
                return;
            }
            stream->write(QByteArray("line ") + QByteArray::number(++*count) + '\n');
            if (*count == 5) {
                stream->end();
                timer->deleteLater();
            }
        });
        timer->start(20);
    });
    r.add("GET", QStringLiteral("/ws"), [this](const HttpRequest &req, HttpResponder res) {
        if (!req.isWebSocketUpgrade()) {
            res.send(HttpResponse::text(426, "upgrade required"));
            return;
        }
        res.upgradeToWebSocket(m_ws.get());
    });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

QUrl HttpServerFixture::url(const QString &path) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->serverPort()).arg(path));
}

QByteArray HttpServerFixture::raw(const QByteArray &request, int waitMs) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    if (!socket.waitForConnected(2000))
        return {};
    socket.write(request);
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < waitMs && socket.state() == QAbstractSocket::ConnectedState) {
        QTest::qWait(10);
        answer += socket.readAll();
    }
    answer += socket.readAll();
    return answer;
}

void HttpServerFixture::openWebSocket(QTcpSocket &socket) {
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(2000));
    socket.write(wsHandshake());
    QByteArray head;
    QTRY_VERIFY((head += socket.readAll()).contains("\r\n\r\n"));
    QVERIFY(head.startsWith("HTTP/1.1 101"));
}

void HttpServerFixture::stopServer() {
    m_server.reset();
    m_ws.reset();
}
