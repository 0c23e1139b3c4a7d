#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace pw::http { struct HttpRequest; }

namespace pw::server {

// Where a request may come from (docs/architecture.md §6): the Host header against DNS rebinding and
// the Origin header against cross-site requests. Returns an empty string when allowed,
// else why not.
class RequestPolicy {
public:
    // `boundAddress`/`port`: where the server listens; `tls`: https or http origins;
    // `allowedOrigins`: other origins (normalised) trusted like our own (--allowed-origin).
    RequestPolicy(QHostAddress boundAddress, quint16 port, bool tls,
                  QStringList allowedOrigins = {});

    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 sends
    // "Host: evil.example:PORT". On loopback only our own names are accepted.
    QString checkHost(const http::HttpRequest &request) const;
    // RFC 6455 §10.2 (WebSocket origin) and the CSRF rule for state-changing methods: a
    // browser names the page's origin; it must be this server's own or an allowed one.
    QString checkOrigin(const http::HttpRequest &request) const;
    // Whether the request's Origin is one of the allowed origins (then it gets CORS answers).
    bool isAllowedOrigin(const http::HttpRequest &request) const;

    // An origin as RFC 6454 §6.2 serialises it: "scheme://host[:port]", lower case, without
    // the scheme's default port; http or https only, no path, query or user. Empty with
    // `error` saying what is wrong.
    static QString normaliseOrigin(const QString &origin, QString *error);

    static bool isStateChanging(const QByteArray &method);
    bool loopbackOnly() const { return m_loopback; }

private:
    static bool isLoopbackName(const QString &host);

    bool m_loopback;
    quint16 m_port;
    bool m_tls;
    QStringList m_allowedOrigins;
};

} // namespace pw::server
