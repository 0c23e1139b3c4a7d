#include "wsclient.h"

#include "core/wsprotocolname.h"

#include <QJsonDocument>
#include <QWebSocketHandshakeOptions>

using namespace pw::core;

namespace WsTest {

QStringList askV2() {
    return {WsProtocolName::v2()};
}

void openSocket(QWebSocket &socket, const QUrl &url, const QStringList &subprotocols) {
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(subprotocols);
    socket.open(url, options);
}

Client::Client(const QUrl &url, const QStringList &subprotocols) {
    connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &m) {
        messages.append(QJsonDocument::fromJson(m.toUtf8()).object());
    });
    connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
    connect(&socket, &QWebSocket::disconnected, this, [this] {
        closed = true;
        closeCode = int(socket.closeCode());
        closeReason = socket.closeReason();
    });
    openSocket(socket, url, subprotocols);
}

void Client::send(const QString &text) {
    socket.sendTextMessage(text);
}

void Client::send(const QJsonObject &o) {
    send(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

QList<QJsonObject> Client::ofType(const QString &type) const {
    QList<QJsonObject> out;
    for (const QJsonObject &m : messages)
        if (m.value(QStringLiteral("type")).toString() == type)
            out.append(m);
    return out;
}

} // namespace WsTest
