// pwbench-wsserver: the reference for the WebSocket figures — a bare QWebSocketServer that
// answers a subscribe with a one-line "subscribed" message and, on {"action":"broadcast"},
// sends the message to every connection (what a status fan-out costs without Pullwatch).
#include "benchutil.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QList>
#include <QSet>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>

namespace {

// {"action":"flood"}: log frames like Pullwatch's (64 KB of 100-byte lines) as fast as the
// client takes them, keeping about 1 MB queued: what one QWebSocket can carry on this machine.
void flood(QWebSocket *socket)
{
    QString lines;
    for (int i = 0; lines.size() < 64 * 1024 - 120; ++i)
        lines += QStringLiteral("2026-01-01T00:00:00.000000000Z 2026/01/01 00:00:00 chatty seq=%1 "
                                "lorem ipsum dolor sit amet\\n").arg(i, 8, 10, QLatin1Char('0'));
    // The layout of Pullwatch's frames (data, then seq and lines), which pwbench-rawlog reads.
    const QString frame = QStringLiteral("{\"type\":\"log\",\"data\":\"%1\",\"seq\":0,\"lines\":%2}")
                              .arg(lines)
                              .arg(lines.count(QLatin1String("\\n")));
    auto fill = [socket, frame] {
        while (socket->bytesToWrite() < 1024 * 1024)
            socket->sendTextMessage(frame);
    };
    QObject::connect(socket, &QWebSocket::bytesWritten, socket, fill);
    fill();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    BenchUtil::raiseFileLimit();
    QWebSocketServer server(QStringLiteral("bare"), QWebSocketServer::NonSecureMode);
    server.setMaxPendingConnections(10'000);
    if (!server.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "pwbench-wsserver: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QSet<QWebSocket *> sockets;
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            sockets.insert(socket);
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [&sockets, socket](const QString &text) {
                if (text.contains(QLatin1String("\"flood\""))) {
                    flood(socket);
                } else if (text.contains(QLatin1String("\"broadcast\""))) {
                    const QString message = QStringLiteral(
                        "{\"type\":\"status\",\"image\":\"%1\",\"status\":\"pending\"}")
                        .arg(text.section(QLatin1Char('"'), 7, 7));
                    for (QWebSocket *s : std::as_const(sockets))
                        s->sendTextMessage(message);
                } else {
                    socket->sendTextMessage(QStringLiteral(
                        "{\"type\":\"subscribed\",\"job_id\":\"*\",\"pulls\":[]}"));
                }
            });
            QObject::connect(socket, &QWebSocket::disconnected, socket, [&sockets, socket] {
                sockets.remove(socket);
                socket->deleteLater();
            });
        }
    });
    std::printf("listening ws://127.0.0.1:%d\n", int(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
