#include "requestpolicy.h"

#include "http/httprequest.h"

#include <QUrl>

namespace pw::server {

namespace {

// Splits "host[:port]" or "[v6][:port]"; port -1 when absent, -2 when malformed.
void splitHostPort(const QString &value, QString *host, int *port) {
    *port = -1;
    QString rest;
    if (value.startsWith(u'[')) {
        const qsizetype close = value.indexOf(u']');
        if (close < 0) {
            *port = -2;
            return;
        }
        *host = value.mid(1, close - 1);
        rest = value.mid(close + 1);
    } else {
        const qsizetype colon = value.indexOf(u':');
        *host = colon < 0 ? value : value.left(colon);
        rest = colon < 0 ? QString() : value.mid(colon);
    }
    if (rest.isEmpty())
        return;
    bool ok = false;
    const int p = rest.startsWith(u':') ? rest.mid(1).toInt(&ok) : -1;
    *port = ok && p > 0 && p < 65536 ? p : -2;
}

} // namespace

RequestPolicy::RequestPolicy(QHostAddress boundAddress, quint16 port, bool tls,
                             QStringList allowedOrigins)
    : m_loopback(boundAddress.isLoopback())
    , m_port(port)
    , m_tls(tls)
    , m_allowedOrigins(std::move(allowedOrigins)) {}

QString RequestPolicy::normaliseOrigin(const QString &origin, QString *error) {
    const QUrl url(origin, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty() ||
        !url.userInfo().isEmpty() || !url.path().isEmpty() || url.hasQuery() || url.hasFragment()) {
        *error = QStringLiteral("'%1' is not an origin: scheme://host[:port] with http or "
                                "https, no path (e.g. https://platform.example.com)")
                     .arg(origin.left(200));
        return {};
    }
    const int defaultPort = scheme == u"https" ? 443 : 80;
    QString host = url.host(QUrl::FullyEncoded).toLower();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    QString result = scheme + QStringLiteral("://") + host;
    if (url.port(defaultPort) != defaultPort)
        result += u':' + QString::number(url.port());
    return result;
}

bool RequestPolicy::isAllowedOrigin(const http::HttpRequest &request) const {
    if (m_allowedOrigins.isEmpty() || !request.hasHeader("origin"))
        return false;
    QString ignored;
    const QString origin = normaliseOrigin(QString::fromLatin1(request.header("origin")), &ignored);
    return !origin.isEmpty() && m_allowedOrigins.contains(origin);
}

bool RequestPolicy::isStateChanging(const QByteArray &method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool RequestPolicy::isLoopbackName(const QString &host) {
    const QString h = host.toLower();
    return h == u"localhost" || h == u"127.0.0.1" || h == u"::1";
}

QString RequestPolicy::checkHost(const http::HttpRequest &request) const {
    if (!m_loopback)
        return {}; // beyond loopback a token is required, which a rebinding page lacks
    const QByteArray host = request.header("host");
    if (host.isEmpty())
        return {}; // HTTP/1.0 tools; browsers always send Host
    QString name;
    int port = 0;
    splitHostPort(QString::fromLatin1(host), &name, &port);
    // Any port: an SSH tunnel (ssh -L 9000:127.0.0.1:8080) changes it, a rebinding page
    // cannot change the name.
    if (port != -2 && isLoopbackName(name))
        return {};
    return QStringLiteral("Host '%1' is not this server: on loopback only localhost, 127.0.0.1 "
                          "and [::1] are accepted (DNS rebinding protection)")
        .arg(QString::fromLatin1(host.left(200)));
}

QString RequestPolicy::checkOrigin(const http::HttpRequest &request) const {
    if (!request.hasHeader("origin"))
        return {}; // not a browser (scripts, the desktop client): nothing cross-site to fear
    if (isAllowedOrigin(request))
        return {}; // trusted by the operator (--allowed-origin)
    const QByteArray origin = request.header("origin");
    const QString refusal =
        QStringLiteral("cross-site request refused: Origin '%1' is not this server's own "
                       "(RFC 6455 §10.2; state-changing requests and WebSocket upgrades must "
                       "come from the Pullwatch page itself)")
            .arg(QString::fromLatin1(origin.left(200)));
    const QUrl url(QString::fromLatin1(origin), QUrl::StrictMode);
    // RFC 6454 §6.2: an origin is scheme, host and port only; userinfo ("a@"), a query or
    // a fragment make it none a browser sends.
    if (origin == "null" || !url.isValid() || !url.path().isEmpty() || origin.contains('@')
        || url.hasQuery() || url.hasFragment())
        return refusal;
    const int defaultPort = m_tls ? 443 : 80;
    if (url.scheme() != (m_tls ? QStringLiteral("https") : QStringLiteral("http")))
        return refusal;
    // Same origin: the page's origin names the host and port the browser sent this request
    // to (its Host header; on loopback checkHost has vetted the name).
    QString hostName;
    int hostPort = 0;
    const QByteArray hostHeader = request.header("host");
    if (hostHeader.isEmpty()) {
        hostName = QStringLiteral("127.0.0.1");
        hostPort = m_port;
    } else {
        splitHostPort(QString::fromLatin1(hostHeader), &hostName, &hostPort);
    }
    if (hostPort == -1)
        hostPort = defaultPort;
    const bool sameHost = hostName.compare(url.host(), Qt::CaseInsensitive) == 0;
    if (hostName.isEmpty() || !sameHost || hostPort != url.port(defaultPort))
        return refusal;
    if (m_loopback && !isLoopbackName(url.host()))
        return refusal;
    return {};
}

} // namespace pw::server
