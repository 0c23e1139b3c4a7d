#include "wsendpoint.h"

#include "wsconnection.h"
#include "wsprotocol.h"

#include "http/httprequest.h"
#include "http/httpresponder.h"

#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace pw::server {

WsEndpoint::WsEndpoint(const QString &name, const WsConfig &config, WsStats *stats,
                       QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_keepAlive(config, stats)
    // NonSecureMode also serves TLS clients: the HTTP engine hands over decrypted sockets.
    , m_server(new QWebSocketServer(QStringLiteral("pullwatch"), QWebSocketServer::NonSecureMode,
                                    this))
{
    m_server->setMaxPendingConnections(1000);
    // RFC 6455 §4.2.2: the handshake answers the one subprotocol of the client's list that
    // the server speaks ("pullwatch.v2"); a client that asks for none gets none, and v1.
    m_server->setSupportedSubprotocols(WsProtocol::subprotocols());
    connect(m_server, &QWebSocketServer::newConnection, this, &WsEndpoint::onNewConnection);
}

WsEndpoint::~WsEndpoint() = default;

namespace {
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'#' + QString::number(port);
}
} // namespace

bool WsEndpoint::accept(http::HttpResponder &responder, const http::HttpRequest &request,
                        const QVariant &context)
{
    dropExpiredPending();
    if (!m_clock.isValid())
        m_clock.start();
    const QString key = peerKey(request.peerAddress, request.peerPort);
    // Before the hand-over: the handshake may complete from within it.
    Pending &pending = m_pending[key];
    pending = {context, nullptr, m_clock.elapsed() + m_server->handshakeTimeoutMS()};
    QTcpSocket *socket = responder.upgradeToWebSocket(m_server);
    if (!socket) {
        m_pending.remove(key);
        return false;
    }
    const auto it = m_pending.find(key);
    if (it != m_pending.end())
        it->socket = socket;
    return true;
}

void WsEndpoint::dropExpiredPending()
{
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    for (auto it = m_pending.begin(); it != m_pending.end();)
        it = it->expiresMs < now ? m_pending.erase(it) : std::next(it);
}

void WsEndpoint::onNewConnection()
{
    // QT64-NOTES: drain in a loop, the server drops connections beyond its pending limit.
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        Pending pending = m_pending.take(peerKey(socket->peerAddress(), socket->peerPort()));
        // Counted by the keep-alive from here until the connection is deleted.
        auto *connection = new WsConnection(socket, &m_keepAlive, pending.socket);
        ++m_total;
        Q_EMIT connected(connection, pending.context);
    }
}

} // namespace pw::server
