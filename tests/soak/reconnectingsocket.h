#pragma once

#include "wsclient.h"

#include <QTimer>
#include <QWebSocket>

#include <functional>
#include <memory>

// A WebSocket client that reconnects as the window and the web UI do: whenever its socket
// closes, or an attempt fails (nothing listens while Pullwatch restarts), it tries again
// after 500 ms with a fresh socket, to the URL `url()` gives then (a resume cursor in it),
// until stop().
class ReconnectingSocket : public QObject
{
public:
    std::function<QUrl()> url;
    std::function<void(QWebSocket *)> connected; // may send the first message
    std::function<void(const QString &)> message;
    QStringList subprotocols;

    void start()
    {
        m_retry.setSingleShot(true);
        m_retry.setInterval(500);
        connect(&m_retry, &QTimer::timeout, this, &ReconnectingSocket::attempt);
        attempt();
    }
    void stop()
    {
        m_stopped = true;
        m_retry.stop();
    }
    bool isConnected() const
    {
        return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
    }
    int sessions() const { return m_sessions; }

private:
    void attempt()
    {
        if (m_stopped)
            return;
        // A fresh socket each time: the last one may still be winding down.
        if (m_socket) {
            m_socket->disconnect(this);
            m_socket.release()->deleteLater();
        }
        m_socket = std::make_unique<QWebSocket>();
        QWebSocket *socket = m_socket.get();
        connect(socket, &QWebSocket::connected, this, [this, socket] {
            ++m_sessions;
            if (connected)
                connected(socket);
        });
        connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (message)
                message(text);
        });
        // Unconnected after a session or after a failed attempt: try again.
        connect(socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState s) {
            if (s == QAbstractSocket::UnconnectedState && !m_stopped && !m_retry.isActive())
                m_retry.start();
        });
        WsTest::openSocket(*socket, url(), subprotocols);
    }

    std::unique_ptr<QWebSocket> m_socket;
    QTimer m_retry;
    bool m_stopped = false;
    int m_sessions = 0;
};
