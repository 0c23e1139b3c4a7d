#pragma once

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

// A TCP relay between Pullwatch and the simulated cluster that the soak can cut: while it
// is cut, open connections are dropped and every request is answered 503 with a Kubernetes
// Status (an API server behind a failing load balancer), or, unreachable, nothing listens
// on its port any more (connection refused). Pullwatch's kubeconfig points here.
class ClusterProxy : public QObject
{
public:
    enum class State { Relaying, Answering503, Unreachable };

    bool listen(quint16 targetPort)
    {
        m_targetPort = targetPort;
        connect(&m_server, &QTcpServer::newConnection, this, &ClusterProxy::accept);
        if (!m_server.listen(QHostAddress::LocalHost))
            return false;
        m_port = m_server.serverPort();
        return true;
    }
    quint16 port() const { return m_port; }
    // Requests answered 503 while cut.
    int answered503() const { return m_answered503; }

    void setState(State state)
    {
        m_state = state;
        if (state != State::Relaying) {
            const QList<QTcpSocket *> open = findChildren<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
            for (QTcpSocket *client : open)
                client->abort();
        }
        if (state == State::Unreachable)
            m_server.close();
        else if (!m_server.isListening())
            m_server.listen(QHostAddress::LocalHost, m_port);
    }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            if (m_state == State::Relaying)
                relay(client);
            else
                answer503(client);
        }
    }

    void answer503(QTcpSocket *client)
    {
        connect(client, &QTcpSocket::readyRead, client, [this, client] {
            if (!client->readAll().contains("\r\n\r\n"))
                return; // not the whole head yet (a body, if any, is not read: we close)
            const QByteArray body = R"({"kind":"Status","apiVersion":"v1","metadata":{},)"
                                    R"("status":"Failure","message":"the cluster is unavailable",)"
                                    R"("reason":"ServiceUnavailable","code":503})";
            client->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                          "Connection: close\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            client->disconnectFromHost();
            ++m_answered503;
        });
    }

    void relay(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        const QPointer<QTcpSocket> peer(upstream);
        connect(upstream, &QTcpSocket::connected, client, [client, upstream] {
            upstream->write(client->readAll());
        });
        connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                upstream->write(client->readAll());
        });
        connect(upstream, &QTcpSocket::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(upstream, &QAbstractSocket::errorOccurred, client, [client](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                client->abort();
        });
        connect(client, &QTcpSocket::disconnected, upstream, [peer] {
            if (peer)
                peer->disconnectFromHost();
        });
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }

    QTcpServer m_server;
    quint16 m_targetPort = 0;
    quint16 m_port = 0;
    State m_state = State::Relaying;
    int m_answered503 = 0;
};
