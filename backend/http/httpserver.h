#pragma once

#include "httplimits.h"
#include "httprequest.h"
#include "httpresponse.h"
#include "httprouter.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>

#include <array>
#include <functional>

class QTcpServer;
class QTcpSocket;

namespace pw::http {

class HttpConnection;
class HttpResponder;

// A small HTTP/1.1 server on QTcpServer / QSslServer: keep-alive, pipelining in order,
// chunked request and response bodies, WebSocket upgrades handed to a QWebSocketServer, and
// the limits of HttpLimits. Handlers run on the thread that owns the server and must not
// block; they may keep their HttpResponder and answer later.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    // What the server refused or cut, counted for /metrics.
    enum class Limit {
        TooManyConnections,
        TooManyFromAddress,
        BodyTooLarge,
        HeaderTooLarge,
        UrlTooLong,
        RequestTimeout,
        IdleTimeout,
        BadRequest,
        WebSocketUnmasked,
        WebSocketQueueFull,
        WebSocketFrameTooLarge,
        Count_
    };
    // Builds the body of an error answer (404, 405, 413, …) in the owner's format.
    using ErrorResponder = std::function<HttpResponse(int status, const QString &message)>;
    // Runs before routing; returns true when it has answered the request itself (refused it).
    using Gate = std::function<bool(const HttpRequest &request, HttpResponder &responder)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    HttpRouter &router() { return m_router; }
    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }
    void setErrorResponder(ErrorResponder responder) { m_errorResponder = std::move(responder); }
    void setGate(Gate gate) { m_gate = std::move(gate); }

    bool listen(const QHostAddress &address, quint16 port);
    bool listenTls(const QHostAddress &address, quint16 port, const QSslConfiguration &tls);
    QString errorString() const { return m_errorString; }
    bool isListening() const;
    bool isTls() const { return m_tls; }
    QHostAddress serverAddress() const;
    quint16 serverPort() const;

    // Stops accepting and closes every connection.
    void close();
    bool isClosing() const { return m_closing; }

    int connectionCount() const { return int(m_connections.size()); }
    // maxConnections, lowered under the process's descriptor limit when that is smaller.
    int connectionCap() const;
    // Answer bytes written but not yet taken by the clients, over all connections.
    qint64 queuedBytes() const;
    quint64 limitCount(Limit limit) const { return m_limitCounts[size_t(limit)]; }
    static const char *limitName(Limit limit);
    HttpResponse errorResponse(int status, const QString &message) const;

Q_SIGNALS:
    // Every answered request: the route pattern ("" when none matched) and its status.
    void requestFinished(const QByteArray &method, const QString &route, int status,
                         qint64 microseconds);

private:
    friend class HttpConnection;
    friend class WebSocketGuard;
    void onPendingConnection();
    void dispatch(HttpConnection *connection, HttpRequest &request, HttpResponder responder);
    void connectionFinished(HttpConnection *connection, const QHostAddress &peer);
    void recordRequest(const QByteArray &method, const QString &route, int status, qint64 us);
    void countLimit(Limit limit) { ++m_limitCounts[size_t(limit)]; }
    void refuse(QTcpSocket *socket, int status, const QString &message);
    bool setUpListener(QTcpServer *server, const QHostAddress &address, quint16 port);
    void fitConnectionsToFileLimit();

    static constexpr qint64 kReservedDescriptors = 256; // cluster, Redis, files, listeners

    HttpRouter m_router;
    HttpLimits m_limits;
    ErrorResponder m_errorResponder;
    Gate m_gate;
    QTcpServer *m_listener = nullptr;
    bool m_tls = false;
    bool m_closing = false;
    QString m_errorString;
    QSet<HttpConnection *> m_connections;
    QHash<QHostAddress, int> m_perAddress;
    std::array<quint64, size_t(Limit::Count_)> m_limitCounts{};
    int m_descriptorCap = 1 << 30; // set by listen()
};

} // namespace pw::http
