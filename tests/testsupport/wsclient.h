#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

namespace WsTest {

// What a client asks for in the handshake: Pullwatch's own messages (the default of these
// clients, as of the window and the web UI), or nothing (a client of the original service).
QStringList askV2();

void openSocket(QWebSocket &socket, const QUrl &url, const QStringList &subprotocols);

// A QWebSocket that keeps every message (parsed) and how it was closed.
class Client : public QObject {
public:
    explicit Client(const QUrl &url, const QStringList &subprotocols = askV2());

    void send(const QString &text);
    void send(const QJsonObject &o);
    QList<QJsonObject> ofType(const QString &type) const;
    QJsonObject last() const { return messages.isEmpty() ? QJsonObject() : messages.last(); }

    QWebSocket socket;
    QList<QJsonObject> messages;
    bool connected = false;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;
};

} // namespace WsTest
