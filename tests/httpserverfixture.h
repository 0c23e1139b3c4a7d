#pragma once

#include "http/httpserver.h"

#include <QByteArray>
#include <QObject>
#include <QUrl>
#include <QWebSocketServer>

#include <memory>

class QTcpSocket;

// A WebSocket frame as a client sends it: FIN, `opcode`, masked unless `masked` is false.
QByteArray wsFrame(quint8 opcode, const QByteArray &payload, bool masked = true);
// The upgrade request for /ws.
QByteArray wsHandshake();
// 8 MB, more than the kernel's socket buffers take at once.
QByteArray bigBody();

// The HTTP engine on a loopback port with the routes the HTTP suites ask for (/hello,
// /items/{id}, /echo, /slow, /big, /32k/{n}, /forget, /reply-forget, /reply-twice, /stream,
// /ws onto an echoing QWebSocketServer). The suites derive from it.
class HttpServerFixture : public QObject {
protected:
    QUrl url(const QString &path) const;
    // Sends `request` on a new connection and returns all it got within `waitMs`.
    QByteArray raw(const QByteArray &request, int waitMs = 3000);
    void startServer(const pw::http::HttpLimits &limits = pw::http::HttpLimits());
    void stopServer();
    // Connects `socket` and completes a WebSocket handshake on /ws over it.
    void openWebSocket(QTcpSocket &socket);

    std::unique_ptr<pw::http::HttpServer> m_server;
    std::unique_ptr<QWebSocketServer> m_ws;
};
