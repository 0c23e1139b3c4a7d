#include "wsendpoint.h"

#include "wsconnection.h"
#include "wsprotocol.h"

#include "http/httpresponder.h"

#include <QWebSocket>
#include <QWebSocketServer>

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

bool WsEndpoint::accept(HttpResponder &responder)
{
    return responder.upgradeToWebSocket(m_server);
}

void WsEndpoint::onNewConnection()
{
    // QT64-NOTES: drain in a loop, the server drops connections beyond its pending limit.
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        // Counted by the keep-alive from here until the connection is deleted.
        auto *connection = new WsConnection(socket, &m_keepAlive);
        ++m_total;
        Q_EMIT connected(connection);
    }
}
