#pragma once

// A raw HTTP/1.1 client for the security tests: the request goes on the wire exactly as
// written (Host, Origin, "..", %2e, NUL…), which QNetworkAccessManager would normalise.

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QList>
#include <QPair>
#include <QSslSocket>
#include <QTcpSocket>

struct RawResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lowercase
    QByteArray body;
    QByteArray header(const QByteArray &lowercaseName) const {
        for (const auto &[n, v] : headers)
            if (n == lowercaseName)
                return v;
        return {};
    }
};

inline RawResponse parseRawResponse(const QByteArray &data) {
    RawResponse r;
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return r;
    const QList<QByteArray> lines = data.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            r.headers.append(
                {lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
    }
    r.body = data.mid(end + 4, r.header("content-length").toInt());
    return r;
}

// Sends `request` bytes on a new connection and reads one response. The event loop keeps
// running meanwhile, so an in-process server can answer.
inline RawResponse rawRequest(quint16 port, const QByteArray &request, int timeoutMs = 5000) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray data;
    qsizetype written = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (socket.state() == QAbstractSocket::ConnectedState && written < request.size() &&
            socket.bytesToWrite() < 256 * 1024) {
            const qint64 n = socket.write(request.mid(written, 64 * 1024));
            if (n > 0)
                written += n;
        }
        data += socket.readAll();
        const qsizetype end = data.indexOf("\r\n\r\n");
        if (end >= 0) {
            const RawResponse head = parseRawResponse(data);
            if (data.size() >= end + 4 + head.header("content-length").toInt())
                return parseRawResponse(data);
        }
        if (socket.state() == QAbstractSocket::UnconnectedState && timer.elapsed() > 50)
            break;
    }
    data += socket.readAll();
    return parseRawResponse(data);
}

// GET/POST with the given extra header lines ("Name: value\r\n…").
inline QByteArray rawHttp(const QByteArray &method, const QByteArray &target, quint16 port,
                          const QByteArray &extraHeaders = {}, const QByteArray &body = {},
                          const QByteArray &host = {}) {
    QByteArray r = method + ' ' + target + " HTTP/1.1\r\nHost: " +
                   (host.isEmpty() ? "127.0.0.1:" + QByteArray::number(port) : host) + "\r\n" +
                   extraHeaders;
    if (!body.isEmpty() || method == "POST")
        r +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    return r + "\r\n" + body;
}
