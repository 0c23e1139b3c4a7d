#pragma once

#include "loginthrottle.h"
#include "requestpolicy.h"
#include "sessiontokens.h"

#include <QByteArray>
#include <QObject>

#include <memory>

class Clock;
class HttpServer;
class Metrics;
class HttpResponder;
struct HttpRequest;

// The one place where the server decides whether a request may proceed (docs/architecture.md §6),
// run by HttpServer before routing: Host (DNS rebinding), Origin (cross-site requests and
// WebSocket upgrades, RFC 6455 §10.2), then authentication by bearer token or session
// cookie when a token is configured, with failed attempts throttled per address.
// Also serves POST /login, POST /logout and GET /api/session.
class SharedRevocations;

class AuthGate : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QByteArray token; // empty: no authentication required
        Clock *clock = nullptr;
        int sessionTtlSeconds = 12 * 3600;
        QString revokedSessionsFile; // see ServerConfig
        SharedRevocations *sharedRevocations = nullptr; // see ServerConfig
        LoginThrottle::Settings throttle;
    };

    AuthGate(Settings settings, QObject *parent = nullptr);
    ~AuthGate() override;

    // Adds the login routes and installs the gate.
    void install(HttpServer &server);
    // Once the port is bound (the Host and Origin checks need the real port).
    // Exports the counters below at /metrics.
    void addMetrics(Metrics *metrics);
    void setListening(const QHostAddress &address, quint16 port, bool tls);

    bool tokenRequired() const { return !m_settings.token.isEmpty(); }
    static QByteArray cookieName() { return QByteArrayLiteral("pullwatch_session"); }

    struct Counters {
        quint64 refusedHost = 0;
        quint64 refusedOrigin = 0;
        quint64 unauthenticated = 0;
        quint64 failedLogins = 0;
        quint64 throttled = 0;
        quint64 logins = 0;
    };
    const Counters &counters() const { return m_counters; }

private:
    bool gate(const HttpRequest &request, HttpResponder &responder);
    bool isAuthenticated(const HttpRequest &request) const;
    static bool isPublic(const HttpRequest &request);
    static QByteArray sessionCookie(const HttpRequest &request);
    void login(const HttpRequest &request, HttpResponder responder);
    void logout(const HttpRequest &request, HttpResponder responder);
    void session(const HttpRequest &request, HttpResponder responder) const;
    void refuseThrottled(HttpResponder &responder, qint64 retryAfterMs);
    QByteArray cookie(const QByteArray &value, int maxAge) const;

    Settings m_settings;
    SessionTokens m_sessions;
    LoginThrottle m_throttle;
    std::unique_ptr<RequestPolicy> m_policy;
    bool m_tls = false;
    Counters m_counters;
};
