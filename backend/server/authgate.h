#pragma once

#include "authenticator.h"
#include "loginthrottle.h"
#include "requestpolicy.h"
#include "sessiontokens.h"

#include <QByteArray>
#include <QObject>
#include <QStringList>

#include <memory>

namespace pw::cache { class RedisClient; }
namespace pw::cache { class RedisRevocations; }
namespace pw::core { class Clock; }
namespace pw::http { class HttpResponder; }
namespace pw::http { class HttpServer; }
namespace pw::http { struct HttpRequest; }

namespace pw::server {

class JwtVerifier;
class Metrics;
class RouteTable;

// The one place where the server decides whether a request may proceed (docs/architecture.md §6),
// run by HttpServer before routing: Host (DNS rebinding), CORS preflights and Origin
// (cross-site requests and WebSocket upgrades, RFC 6455 §10.2) with the allowed origins,
// then authentication (Authenticator) and the role a request needs. Failed guesses are
// throttled per address; a valid credential is always served. Every state-changing request
// leaves one audit line. The access a request needs is its route's (RouteTable::accessFor).
// Also the handlers of POST /login, POST /logout and GET /api/session.
class AuthGate : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QByteArray token;                       // empty: no API token
        std::shared_ptr<const JwtVerifier> jwt; // null: no JWTs
        QByteArray jwtCookie = QByteArrayLiteral("token");
        core::Clock *clock = nullptr;
        int sessionTtlSeconds = 12 * 3600;
        QString revokedSessionsFile; // see ServerConfig
        cache::RedisClient *redis = nullptr; // logged-out sessions shared there (else the file)
        QStringList allowedOrigins;   // normalised (RequestPolicy::normaliseOrigin)
        LoginThrottle::Settings throttle;
    };

    AuthGate(Settings settings, QObject *parent = nullptr);
    ~AuthGate() override;

    // Installs the gate; `routes` says which access each request needs and outlives the gate.
    void install(http::HttpServer &server, const RouteTable *routes);
    // Exports the counters below at /metrics.
    void addMetrics(Metrics *metrics);
    // Once the port is bound (the Host and Origin checks need the real port).
    void setListening(const QHostAddress &address, quint16 port, bool tls);

    bool authenticationRequired() const { return m_authenticator.required(); }
    static QByteArray cookieName() { return QByteArrayLiteral("pullwatch_session"); }

    // The login routes' handlers.
    void login(const http::HttpRequest &request, http::HttpResponder responder);
    void logout(const http::HttpRequest &request, http::HttpResponder responder);
    void session(const http::HttpRequest &request, http::HttpResponder responder) const;

    struct Counters {
        quint64 refusedHost = 0;
        quint64 refusedOrigin = 0;
        quint64 unauthenticated = 0;
        quint64 failedLogins = 0;
        quint64 throttled = 0;
        quint64 forbidden = 0;
        quint64 logins = 0;
    };
    const Counters &counters() const { return m_counters; }

private:
    static Settings withClock(Settings settings);
    bool gate(const http::HttpRequest &request, http::HttpResponder &responder);
    bool checkPlace(const http::HttpRequest &request, http::HttpResponder &responder);
    void refuseGuess(const http::HttpRequest &request, http::HttpResponder &responder,
                     const QString &error,
                     QList<QPair<QByteArray, QByteArray>> headers);
    void refuseThrottled(http::HttpResponder &responder, qint64 retryAfterMs);
    QByteArray cookie(const QByteArray &value, int maxAge) const;

    Settings m_settings;
    SessionTokens m_sessions;
    Authenticator m_authenticator;
    LoginThrottle m_throttle;
    std::unique_ptr<RequestPolicy> m_policy;
    const RouteTable *m_routes = nullptr;
    cache::RedisRevocations *m_revocations = nullptr;
    bool m_tls = false;
    Counters m_counters;
};

} // namespace pw::server
