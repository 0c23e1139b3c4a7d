#pragma once

#include "httpresponse.h"

#include <QPointer>

#include <functional>

class QTcpSocket;
class QWebSocketServer;

namespace pw::http {

class HttpConnection;
class HttpStream;

// The right to answer one request, once: whole, as a stream, or by upgrading the connection
// to a WebSocket. Move-only; may be kept and answered later from the event loop. A responder
// dropped without an answer answers 500, so a request never hangs.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 serial);
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;
    ~HttpResponder();

    // Whether the request still awaits an answer and its client is still connected.
    bool isPending() const;
    void send(HttpResponse response);
    // Starts a chunked response; the stream belongs to the connection (hold a QPointer).
    // Returns nullptr when the client has gone.
    HttpStream *startStream(int status, QList<QPair<QByteArray, QByteArray>> headers);
    // Hands the connection to `server`, which completes the handshake (RFC 6455 §4.2).
    // Returns the connection's socket (the QWebSocket's, not owned by it; it deletes itself
    // once disconnected), null when the client has gone.
    QTcpSocket *upgradeToWebSocket(QWebSocketServer *server);

    // For the gate (HttpServer::setGate), before the route handler gets the responder:
    // headers added to whatever answer is sent (CORS), and a function told the status of
    // that answer (101 for an upgrade, 500 when none was given) — an audit log.
    void addHeader(QByteArray name, QByteArray value);
    void setAnswerObserver(std::function<void(int status)> observer);

private:
    void answered(int status);

    QPointer<HttpConnection> m_connection;
    quint64 m_serial = 0;
    QList<QPair<QByteArray, QByteArray>> m_extraHeaders;
    std::function<void(int)> m_observer;
};

} // namespace pw::http
