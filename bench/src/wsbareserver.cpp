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
                if (text.contains(QLatin1String("\"broadcast\""))) {
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
