#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QString>

namespace pw::http {

// One parsed HTTP/1.x request. Header names are stored lowercase.
struct HttpRequest
{
    QByteArray method;  // GET, POST, …
    QByteArray target;  // the raw request-target: /path?query
    QByteArray rawPath; // still percent-encoded
    QByteArray rawQuery;
    int minorVersion = 1; // HTTP/1.<minor>
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    bool secure = false;
    // Under TLS: the certificate the client presented (null when none), and whether it
    // verified against the server's CA certificates (QSslSocket::QueryPeer: asked for, not
    // required, so token clients and certificate clients share one listener).
    QSslCertificate clientCertificate;
    bool clientCertificateVerified = false;
    bool keepAlive = true;
    // Set by the router: the route's pattern (for metrics) and its {parameters}, decoded.
    QString route;
    QHash<QString, QString> pathParams;
    // The unparsed request head, kept for a WebSocket upgrade.
    QByteArray rawHead;

    QByteArray header(QByteArrayView lowercaseName) const;
    bool hasHeader(QByteArrayView lowercaseName) const;
    // The percent-decoded path.
    QString path() const;
    // Query parameters, percent-decoded; '+' stays a '+'.
    bool hasQueryItem(QStringView key) const;
    QString queryValue(QStringView key) const;
    QList<QPair<QString, QString>> queryItems() const;
    QString pathParam(const QString &name) const { return pathParams.value(name); }
    bool isWebSocketUpgrade() const;
};

} // namespace pw::http
