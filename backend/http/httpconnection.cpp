#include "httpconnection.h"

#include "directwrite.h"
#include "httpdate.h"
#include "httplog.h"
#include "httpresponder.h"
#include "httpserver.h"
#include "httpstream.h"
#include "websocketguard.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QWebSocketServer>

#include <sys/socket.h>

namespace pw::http {

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(server->limits())
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    m_tls = qobject_cast<QSslSocket *>(m_socket) != nullptr;
    m_clock.start();
    m_socket->setReadBufferSize(server->limits().socketReadBufferBytes);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    armTimer();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    if (m_stream)
        m_stream->markClosed();
}

void HttpConnection::armTimer()
{
    switch (m_state) {
    case State::Reading:
        // A client that leaves its answers unread may keep the connection while it reads
        // some within the idle timeout (every bytesWritten re-arms this).
        if (m_paused || m_requestStartAt < 0)
            setDeadline(m_server->limits().idleTimeoutMs);
        else
            setDeadlineAt(m_requestStartAt + m_server->limits().requestTimeoutMs);
        break;
    case State::Closing:
        setDeadline(5000); // a client that never reads its last answer
        break;
    case State::Draining:
        setDeadline(2000); // a client still sending a refused body
        break;
    default:
        m_deadlineAt = -1;
    }
}

void HttpConnection::setDeadline(int ms)
{
    setDeadlineAt(m_clock.elapsed() + ms);
}

void HttpConnection::setDeadlineAt(qint64 at)
{
    m_deadlineAt = at;
    if (m_timer.isActive() && m_timerAt <= m_deadlineAt)
        return; // it fires first and re-arms for the rest
    m_timer.start(int(qMax<qint64>(0, at - m_clock.elapsed())));
    m_timerAt = m_deadlineAt;
}

bool HttpConnection::isBacklogged() const
{
    return m_socket->bytesToWrite() > m_server->limits().maxQueuedResponseBytes;
}

void HttpConnection::onTimeout()
{
    if (m_deadlineAt < 0)
        return; // a request is being answered: no deadline until it is
    const qint64 left = m_deadlineAt - m_clock.elapsed();
    if (left > 0) {
        m_timer.start(int(left));
        m_timerAt = m_deadlineAt;
        return;
    }
    if (m_state == State::Reading && !m_paused && m_requestStartAt >= 0) {
        m_server->countLimit(HttpServer::Limit::RequestTimeout);
        fail(408, QStringLiteral("the request was not completed within %1 ms")
                      .arg(m_server->limits().requestTimeoutMs));
        return;
    }
    if (m_state == State::Reading)
        m_server->countLimit(HttpServer::Limit::IdleTimeout);
    shutdown();
}

void HttpConnection::onBytesWritten()
{
    if (m_stream)
        m_stream->onBytesWritten();
    // After an error answer is out, stop sending but keep reading for a moment, so the client
    // sees the answer instead of a reset (the lingering close of RFC 9112 §9.6).
    if (m_state == State::Draining && m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    if (m_paused && m_state == State::Reading) {
        // Resumed at half the limit, so a slow reader gets answers in batches.
        if (m_socket->bytesToWrite() > m_server->limits().maxQueuedResponseBytes / 2) {
            armTimer(); // the client reads: it keeps the connection
            return;
        }
        m_paused = false;
        // Not from within the socket's bytesWritten: answers written there can be left
        // unflushed.
        QMetaObject::invokeMethod(this, &HttpConnection::processBuffer, Qt::QueuedConnection);
    }
}

void HttpConnection::onReadyRead()
{
    if (m_state == State::Draining) {
        m_drained += m_socket->skip(m_socket->bytesAvailable());
        if (m_drained > 16 * 1024 * 1024)
            shutdown();
        return;
    }
    if (m_state != State::Reading)
        return; // the next request waits in the socket buffer, which is bounded
    processBuffer();
}

void HttpConnection::processBuffer()
{
    if (m_processing)
        return;
    m_processing = true;
    const qint64 readAhead = m_server->limits().socketReadBufferBytes;
    while (m_state == State::Reading) {
        // Pipelining backpressure: answers the client has not taken stop further requests;
        // they wait in the socket's bounded buffer (and the kernel's) until it reads.
        if (isBacklogged()) {
            m_paused = true;
            break;
        }
        // What is there, not the read-ahead: QIODevice::read(n) allocates n bytes whatever it
        // finds, and a small request would hold a 256 KB block while it is answered.
        const qint64 readable = qMin(readAhead - m_buffer.size(), m_socket->bytesAvailable());
        if (readable > 0)
            m_buffer += m_socket->read(readable);
        if (m_buffer.isEmpty())
            break;
        if (m_requestStartAt < 0)
            m_requestStartAt = m_clock.elapsed(); // the request deadline runs from here
        const auto state = m_parser.feed(m_buffer);
        if (state == HttpRequestParser::State::Error) {
            fail(m_parser.errorStatus(), m_parser.errorMessage());
            break;
        }
        if (state == HttpRequestParser::State::HeadComplete) {
            if (m_parser.expectsContinue())
                m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            continue;
        }
        if (state == HttpRequestParser::State::NeedMore) {
            if (m_socket->bytesAvailable() > 0 && m_buffer.size() < readAhead)
                continue;
            break;
        }
        HttpRequest request = m_parser.takeRequest();
        request.peerAddress = m_peer;
        request.peerPort = m_peerPort;
        request.secure = m_server->isTls();
        if (m_tls) {
            auto *ssl = static_cast<QSslSocket *>(m_socket);
            request.clientCertificate = ssl->peerCertificate();
            request.clientCertificateVerified =
                !request.clientCertificate.isNull() && ssl->sslHandshakeErrors().isEmpty();
        }
        m_state = State::Awaiting;
        ++m_serial;
        m_method = request.method;
        m_keepAlive = request.keepAlive;
        m_http11 = request.minorVersion == 1;
        m_route.clear();
        m_started.start();
        m_replay = request.rawHead;
        m_deadlineAt = -1;
        m_requestStartAt = -1;
        m_server->dispatch(this, request, HttpResponder(this, m_serial));
    }
    m_processing = false;
    if (m_state == State::Reading)
        armTimer();
}

bool HttpConnection::isAwaiting(quint64 serial) const
{
    return m_state == State::Awaiting && serial == m_serial;
}

void HttpConnection::writeResponse(const HttpResponse &response, bool keepAlive, bool headOnly)
{
    QByteArray &out = m_head;
    out.resize(0); // keeps the capacity of the last answer's head
    out += HttpResponse::statusLine(response.status);
    for (const auto &[name, value] : response.headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    out += "Date: " + HttpDate::now() + "\r\n";
    if (response.status >= 200 && response.status != 204 && response.status != 304) {
        out += "Content-Length: ";
        out += QByteArray::number(response.body.size());
        out += "\r\n";
    }
    if (!keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    const QByteArray body = headOnly ? QByteArray() : response.body;
    // Without copying the body (a cached answer is shared) when nothing is queued before it.
    if (m_state == State::Awaiting && !m_tls && DirectWrite::send(m_socket, out, body))
        return;
    // One block (the socket sends one block per write notification), not kept afterwards.
    m_socket->write(body.isEmpty() ? out : out + body);
}

void HttpConnection::respond(quint64 serial, HttpResponse response)
{
    if (!isAwaiting(serial))
        return;
    const bool keepAlive = m_keepAlive && !m_server->isClosing()
        && response.header("connection").toLower() != "close";
    writeResponse(response, keepAlive, m_method == "HEAD");
    finishExchange(response.status, keepAlive);
}

void HttpConnection::answerUnanswered(quint64 serial)
{
    if (!isAwaiting(serial))
        return;
    qCWarning(lcHttp) << "no answer for" << m_method << m_route << "; answering 500";
    respond(serial, m_server->errorResponse(500, QStringLiteral("the request was not answered")));
}

void HttpConnection::finishExchange(int status, bool keepAlive)
{
    m_server->recordRequest(m_method, m_route, status, m_started.nsecsElapsed() / 1000);
    m_replay.clear();
    if (!keepAlive) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        armTimer();
        return;
    }
    m_state = State::Reading;
    if (!m_processing)
        QMetaObject::invokeMethod(this, &HttpConnection::processBuffer, Qt::QueuedConnection);
}

HttpStream *HttpConnection::beginStream(quint64 serial, int status,
                                        QList<QPair<QByteArray, QByteArray>> headers)
{
    if (!isAwaiting(serial))
        return nullptr;
    // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
    const bool chunked = m_http11;
    QByteArray out = HttpResponse::statusLine(status);
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "Date: " + HttpDate::now() + "\r\n";
    out += chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n";
    out += "\r\n";
    m_socket->write(out);
    m_state = State::Streaming;
    m_server->recordRequest(m_method, m_route, status, m_started.nsecsElapsed() / 1000);
    m_stream = new HttpStream(m_socket, chunked, this);
    return m_stream;
}

void HttpConnection::streamEnded(bool reusable)
{
    if (m_state != State::Streaming)
        return;
    m_stream = nullptr;
    if (!reusable || !m_keepAlive || m_server->isClosing()) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        armTimer();
        return;
    }
    m_state = State::Reading;
    QMetaObject::invokeMethod(this, &HttpConnection::processBuffer, Qt::QueuedConnection);
}

QTcpSocket *HttpConnection::upgrade(quint64 serial, QWebSocketServer *server)
{
    if (!isAwaiting(serial) || m_replay.isEmpty())
        return nullptr;
    // Give the handshake bytes back to the socket so the WebSocket server reads the request
    // itself, then let go of the socket. What followed the handshake is held by the guard
    // until the WebSocket exists.
    const QByteArray early = m_buffer + m_socket->readAll();
    for (qsizetype i = m_replay.size() - 1; i >= 0; --i)
        m_socket->ungetChar(m_replay[i]);
    m_server->recordRequest(m_method, m_route, 101, m_started.nsecsElapsed() / 1000);
    QTcpSocket *socket = m_socket;
    disconnect(socket, nullptr, this, nullptr);
    // Bounded like an HTTP connection: a flooding client waits in the kernel's buffers.
    socket->setReadBufferSize(m_server->limits().socketReadBufferBytes);
    socket->setParent(nullptr);
    m_socket = nullptr;
    m_state = State::Gone;
    m_timer.stop();
    m_server->connectionFinished(this, m_peer);
    deleteLater();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    new WebSocketGuard(socket, server, m_server, m_replay.size(), early); // owned by the socket
    server->handleConnection(socket);
    return socket;
}

void HttpConnection::fail(int status, const QString &message)
{
    if (status == 413)
        m_server->countLimit(HttpServer::Limit::BodyTooLarge);
    else if (status == 431)
        m_server->countLimit(HttpServer::Limit::HeaderTooLarge);
    else if (status == 414)
        m_server->countLimit(HttpServer::Limit::UrlTooLong);
    else if (status == 400)
        m_server->countLimit(HttpServer::Limit::BadRequest);
    qCDebug(lcHttp) << "rejecting request from" << m_peer.toString() << status
                    << message;
    writeResponse(m_server->errorResponse(status, message), false, false);
    m_server->recordRequest(QByteArray(), QString(), status, 0);
    m_buffer.clear();
    m_state = State::Draining;
    armTimer();
}

void HttpConnection::shutdown()
{
    if (m_state == State::Gone)
        return;
    if (m_stream)
        m_stream->markClosed();
    m_state = State::Closing;
    m_socket->abort();
    onDisconnected();
}

void HttpConnection::onDisconnected()
{
    if (m_state == State::Gone)
        return;
    m_state = State::Gone;
    m_timer.stop();
    if (m_stream)
        m_stream->markClosed();
    m_server->connectionFinished(this, m_peer);
    deleteLater();
}

} // namespace pw::http
