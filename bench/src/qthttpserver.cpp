// pwbench-qthttpserver: a reference for the cached GET — QtHttpServer 6.4 (a technology
// preview, Debian qt6-httpserver-dev; the product does not use it) answering
// GET /images/pull-active with the bytes of --file, held in memory, as application/json.
// Prints "listening http://127.0.0.1:PORT".
#include "benchutil.h"

#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>

#include <cstdio>

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    BenchUtil::raiseFileLimit();
    QFile file(BenchUtil::option(app.arguments(), "file"));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "pwbench-qthttpserver: cannot read --file\n");
        return 2;
    }
    const QByteArray body = file.readAll();
    QHttpServer server;
    server.route(QStringLiteral("/images/pull-active"), [body] {
        return QHttpServerResponse(QByteArrayLiteral("application/json"), body);
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0) {
        std::fprintf(stderr, "pwbench-qthttpserver: cannot listen\n");
        return 1;
    }
    std::printf("listening http://127.0.0.1:%u\n", unsigned(port));
    std::fflush(stdout);
    return app.exec();
}
