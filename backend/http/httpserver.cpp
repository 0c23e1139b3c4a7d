#include "httpserver.h"

#include "httpconnection.h"
#include "httplog.h"
#include "httpresponder.h"

#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

#include <sys/resource.h>

#include <limits>

namespace pw::http {

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , m_errorResponder([](int status, const QString &message) {
        return HttpResponse::text(status, message.toUtf8() + '\n');
    })
{
}

HttpServer::~HttpServer()
{
    close();
}

void HttpServer::fitConnectionsToFileLimit()
{
    // Every connection holds a descriptor: beyond the process's limit accept() fails and
    // every new client starves. Keep the cap under it, with room for the server's own files.
    rlimit files = {};
    m_descriptorCap = std::numeric_limits<int>::max();
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur == RLIM_INFINITY)
        return;
    m_descriptorCap = int(qBound(qint64(16), qint64(files.rlim_cur) - kReservedDescriptors,
                                 qint64(std::numeric_limits<int>::max())));
    if (m_limits.maxConnections > m_descriptorCap)
        qCInfo(lcHttp) << "the descriptor limit is" << qint64(files.rlim_cur)
                       << "; serving at most" << m_descriptorCap << "connections instead of"
                       << m_limits.maxConnections;
}

int HttpServer::connectionCap() const
{
    return qMin(m_limits.maxConnections, m_descriptorCap);
}

bool HttpServer::setUpListener(QTcpServer *server, const QHostAddress &address, quint16 port)
{
    fitConnectionsToFileLimit();
    m_listener = server;
    m_closing = false;
    server->setMaxPendingConnections(1000);
    server->setListenBacklogSize(1024);
    connect(server, &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::onPendingConnection);
    if (!server->listen(address, port)) {
        m_errorString = server->errorString();
        delete server;
        m_listener = nullptr;
        return false;
    }
    return true;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    m_tls = false;
    return setUpListener(new QTcpServer(this), address, port);
}

bool HttpServer::listenTls(const QHostAddress &address, quint16 port, const QSslConfiguration &tls)
{
    auto *server = new QSslServer(this);
    server->setSslConfiguration(tls);
    server->setHandshakeTimeout(10'000);
    m_tls = true;
    return setUpListener(server, address, port);
}

bool HttpServer::isListening() const
{
    return m_listener && m_listener->isListening();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

quint16 HttpServer::serverPort() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void HttpServer::close()
{
    m_closing = true;
    if (m_listener) {
        m_listener->close();
        delete m_listener;
        m_listener = nullptr;
    }
    const auto connections = m_connections;
    for (HttpConnection *c : connections)
        c->shutdown();
}

qint64 HttpServer::queuedBytes() const
{
    qint64 bytes = 0;
    for (const HttpConnection *c : m_connections)
        bytes += c->socket() ? c->socket()->bytesToWrite() : 0;
    return bytes;
}

const char *HttpServer::limitName(Limit limit)
{
    switch (limit) {
    case Limit::TooManyConnections: return "too_many_connections";
    case Limit::TooManyFromAddress: return "too_many_from_address";
    case Limit::BodyTooLarge: return "body_too_large";
    case Limit::HeaderTooLarge: return "header_too_large";
    case Limit::UrlTooLong: return "url_too_long";
    case Limit::RequestTimeout: return "request_timeout";
    case Limit::IdleTimeout: return "idle_timeout";
    case Limit::BadRequest: return "bad_request";
    case Limit::WebSocketUnmasked: return "websocket_unmasked_frame";
    case Limit::WebSocketQueueFull: return "websocket_queue_full";
    case Limit::WebSocketFrameTooLarge: return "websocket_frame_too_large";
    case Limit::Count_: break;
    }
    return "unknown";
}

HttpResponse HttpServer::errorResponse(int status, const QString &message) const
{
    return m_errorResponder(status, message);
}

void HttpServer::refuse(QTcpSocket *socket, int status, const QString &message)
{
    HttpResponse r = errorResponse(status, message);
    // One Retry-After (RFC 9110 §10.2.3), ours: the responder's own (the server's 503s say 5 s)
    // is replaced, a connection slot frees up sooner.
    if (status == 429 || status == 503)
        r.setHeader("Retry-After", "1");
    QByteArray out = HttpResponse::statusLine(status);
    for (const auto &[name, value] : r.headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\nConnection: close\r\n\r\n";
    out += r.body;
    socket->write(out);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

void HttpServer::onPendingConnection()
{
    while (m_listener && m_listener->hasPendingConnections()) {
        QTcpSocket *socket = m_listener->nextPendingConnection();
        if (!socket)
            break;
        socket->setParent(this);
        const QHostAddress peer = socket->peerAddress();
        if (m_closing) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        if (m_connections.size() >= connectionCap()) {
            countLimit(Limit::TooManyConnections);
            refuse(socket, 503, QStringLiteral("the server holds its maximum of %1 connections")
                                    .arg(connectionCap()));
            continue;
        }
        int &fromPeer = m_perAddress[peer];
        if (fromPeer >= m_limits.maxConnectionsPerAddress) {
            countLimit(Limit::TooManyFromAddress);
            refuse(socket, 429, QStringLiteral("at most %1 connections are allowed from one address")
                                    .arg(m_limits.maxConnectionsPerAddress));
            continue;
        }
        ++fromPeer;
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.insert(new HttpConnection(socket, this));
    }
}

void HttpServer::connectionFinished(HttpConnection *connection, const QHostAddress &peer)
{
    if (!m_connections.remove(connection))
        return;
    auto it = m_perAddress.find(peer);
    if (it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
}

void HttpServer::recordRequest(const QByteArray &method, const QString &route, int status,
                               qint64 us)
{
    Q_EMIT requestFinished(method, route, status, us);
}

void HttpServer::dispatch(HttpConnection *connection, HttpRequest &request,
                          HttpResponder responder)
{
    if (m_gate && m_gate(request, responder))
        return;
    const HttpRouter::Handler *handler = nullptr;
    QByteArrayList allowed;
    switch (m_router.match(request, &handler, &allowed)) {
    case HttpRouter::Match::Found:
        connection->setRoute(request.route);
        break;
    case HttpRouter::Match::WrongMethod: {
        HttpResponse r = errorResponse(
            405, QStringLiteral("method %1 is not allowed here; allowed: %2")
                     .arg(QString::fromLatin1(request.method),
                          QString::fromLatin1(allowed.join(", "))));
        r.setHeader("Allow", allowed.join(", "));
        responder.send(std::move(r));
        return;
    }
    case HttpRouter::Match::NotFound:
        responder.send(errorResponse(404, QStringLiteral("no such path: %1").arg(request.path())));
        return;
    }
    (*handler)(request, std::move(responder));
}

} // namespace pw::http
