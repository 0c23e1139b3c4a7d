#include "authgate.h"

#include "apierror.h"
#include "auditlog.h"
#include "credentials.h"
#include "jwtverifier.h"
#include "metrics.h"
#include "routetable.h"
#include "serverlog.h"

#include "cache/redisrevocations.h"
#include "core/clock.h"
#include "core/envelope.h"
#include "http/httpreply.h"
#include "http/httpserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace pw::server {

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

void sendError(http::HttpResponder &responder, ApiError::Kind kind, const QString &message,
               const Headers &extraHeaders = {}) {
    http::HttpResponse response = ApiError{kind, message, {}}.toResponse();
    for (const auto &[name, value] : extraHeaders)
        response.setHeader(name, value);
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

// The Fetch standard's CORS protocol: a preflight is an OPTIONS request naming the method
// it asks for.
bool isPreflight(const http::HttpRequest &request) {
    return request.method == "OPTIONS" && request.hasHeader("origin") &&
           request.hasHeader("access-control-request-method");
}

} // namespace

AuthGate::AuthGate(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(withClock(std::move(settings)))
    , m_sessions(m_settings.token, m_settings.clock, m_settings.sessionTtlSeconds,
                 m_settings.revokedSessionsFile)
    , m_authenticator({m_settings.token, m_settings.jwt.get(), m_settings.jwtCookie}, &m_sessions)
    , m_throttle(m_settings.clock, m_settings.throttle) {
    // docs/architecture.md §6: with Redis, a logout holds on every replica.
    if (m_settings.redis) {
        m_revocations = new cache::RedisRevocations(m_settings.redis, m_settings.clock, 1000, this);
        m_sessions.setShared(m_revocations);
    }
}

AuthGate::Settings AuthGate::withClock(Settings settings) {
    if (!settings.clock)
        settings.clock = core::Clock::system();
    return settings;
}

AuthGate::~AuthGate() = default;

void AuthGate::install(http::HttpServer &server, const RouteTable *routes) {
    m_routes = routes;
    server.setGate([this](const http::HttpRequest &request, http::HttpResponder &responder) {
        return gate(request, responder);
    });
}

void AuthGate::setListening(const QHostAddress &address, quint16 port, bool tls) {
    m_policy = std::make_unique<RequestPolicy>(address, port, tls, m_settings.allowedOrigins);
    m_tls = tls;
}

// Host, CORS preflight and Origin: whether the request may come from where it comes from.
// Returns true when it has answered (refused, or answered a preflight).
bool AuthGate::checkPlace(const http::HttpRequest &request, http::HttpResponder &responder) {
    if (!m_policy)
        return false;
    if (const QString error = m_policy->checkHost(request); !error.isEmpty()) {
        ++m_counters.refusedHost;
        sendError(responder, ApiError::Kind::Forbidden, error);
        return true;
    }
    const bool allowed = m_policy->isAllowedOrigin(request);
    if (allowed) {
        // Fetch standard, CORS protocol: never "*" together with credentials.
        responder.addHeader("Access-Control-Allow-Origin", request.header("origin"));
        responder.addHeader("Access-Control-Allow-Credentials", "true");
        responder.addHeader("Vary", "Origin");
    }
    if (isPreflight(request)) {
        if (!allowed) {
            ++m_counters.refusedOrigin;
            sendError(responder, ApiError::Kind::Forbidden,
                      QStringLiteral("CORS preflight refused: Origin '%1' is not allowed (allow "
                                     "it with --allowed-origin)")
                          .arg(QString::fromLatin1(request.header("origin").left(200))));
            return true;
        }
        http::HttpResponse response;
        response.status = 204;
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type");
        response.setHeader("Access-Control-Max-Age", "600");
        responder.send(std::move(response));
        return true;
    }
    // RFC 6455 §10.2: a server must check the Origin of a WebSocket handshake; and any
    // request that changes state must come from our own page or an allowed origin
    // (cross-site request forgery).
    if (request.isWebSocketUpgrade() || RequestPolicy::isStateChanging(request.method)) {
        if (const QString error = m_policy->checkOrigin(request); !error.isEmpty()) {
            ++m_counters.refusedOrigin;
            qCInfo(lcServer).noquote() << "refused a cross-site" << request.method << "from"
                                       << request.peerAddress.toString();
            sendError(responder, ApiError::Kind::Forbidden, error);
            return true;
        }
    }
    return false;
}

bool AuthGate::gate(const http::HttpRequest &request, http::HttpResponder &responder) {
    // The route table declares each route's access (docs/architecture.md §3): /healthz is
    // open to probes under any Host; what a browser needs before it can log in (the page, its
    // files, /login, /logout, /api/session) and /readyz — Kubernetes readiness probes cannot
    // send a token (installer/kubernetes/deployment.yaml) — are public.
    const RouteAccess access = m_routes ? m_routes->accessFor(request) : RouteAccess::Operator;
    if (access == RouteAccess::Open)
        return false;
    const std::shared_ptr<AuditLog::Subject> audit = AuditLog::watch(request, responder);
    if (checkPlace(request, responder))
        return true;
    if (!authenticationRequired()) {
        if (audit)
            audit->who = Identity().describe();
        return false;
    }
    if (access == RouteAccess::Public)
        return false;
    const AuthResult auth = m_authenticator.authenticate(request);
    switch (auth.outcome) {
    case AuthResult::Outcome::Valid:
        if (audit)
            audit->who = auth.identity.describe();
        if (access == RouteAccess::Operator && auth.identity.role != Identity::Role::Operator) {
            ++m_counters.forbidden;
            sendError(responder, ApiError::Kind::Forbidden,
                      QStringLiteral("%1 %2 needs the operator role; %3 has the viewer role")
                          .arg(QString::fromLatin1(request.method), request.path(),
                               auth.identity.describe()));
            return true;
        }
        return false;
    case AuthResult::Outcome::Invalid:
        ++m_counters.unauthenticated;
        refuseGuess(request, responder, auth.error,
                    {{"WWW-Authenticate", "Bearer realm=\"pullwatch\", error=\"invalid_token\""}});
        return true;
    case AuthResult::Outcome::Missing:
        break;
    }
    ++m_counters.unauthenticated;
    sendError(
        responder, ApiError::Kind::Unauthenticated, auth.error,
        {{"WWW-Authenticate", auth.bearer ? "Bearer realm=\"pullwatch\", error=\"invalid_token\""
                                          : "Bearer realm=\"pullwatch\""}});
    return true;
}

// A wrong credential: a guess. Throttled per address (a valid credential from the same
// address is never affected): refused with 429 while the address is banned, otherwise
// answered 401 after a delay.
void AuthGate::refuseGuess(const http::HttpRequest &request, http::HttpResponder &responder,
                           const QString &error, QList<QPair<QByteArray, QByteArray>> headers) {
    if (const qint64 wait = m_throttle.retryAfterMs(request.peerAddress); wait > 0) {
        refuseThrottled(responder, wait);
        return;
    }
    m_throttle.recordFailure(request.peerAddress);
    const http::HttpReply held(std::move(responder));
    QTimer::singleShot(m_settings.throttle.failureDelayMs, this,
                       [held, error, headers] {
        sendError(held.responder(), ApiError::Kind::Unauthenticated, error, headers);
    });
}

void AuthGate::refuseThrottled(http::HttpResponder &responder, qint64 retryAfterMs) {
    ++m_counters.throttled;
    const qint64 seconds = (retryAfterMs + 999) / 1000;
    sendError(responder, ApiError::Kind::TooManyRequests,
              QStringLiteral("too many wrong credentials from this address; try again in %1 s "
                             "(a valid credential is always accepted)")
                  .arg(seconds),
              {{"Retry-After", QByteArray::number(seconds)}});
}

QByteArray AuthGate::cookie(const QByteArray &value, int maxAge) const {
    QByteArray c = cookieName() + '=' + value + "; Path=/; Max-Age=" + QByteArray::number(maxAge) +
                   "; HttpOnly; SameSite=Strict";
    if (m_tls)
        c += "; Secure";
    return c;
}

void AuthGate::login(const http::HttpRequest &request, http::HttpResponder responder) {
    if (!authenticationRequired()) {
        responder.send(http::HttpResponse::json(
            200, core::Envelope::success(QJsonObject{{QStringLiteral("required"), false},
                                               {QStringLiteral("authenticated"), true}})));
        return;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    const QJsonValue token = doc.object().value(QStringLiteral("token"));
    if (parseError.error != QJsonParseError::NoError || !token.isString()) {
        sendError(responder, ApiError::Kind::BadRequest, QStringLiteral("POST /login takes {\"token\":\"<API token>\"}"));
        return;
    }
    if (!m_authenticator.hasToken()) {
        sendError(responder, ApiError::Kind::BadRequest,
                  QStringLiteral("this server has no API token to log in with; send a JWT as "
                                 "'Authorization: Bearer' or in the cookie '%1'")
                      .arg(QString::fromLatin1(m_settings.jwtCookie)));
        return;
    }
    if (!m_authenticator.isToken(token.toString().trimmed().toUtf8())) {
        ++m_counters.failedLogins;
        qCInfo(lcServer).noquote() << "failed login from" << request.peerAddress.toString();
        refuseGuess(request, responder, QStringLiteral("wrong token"), {});
        return;
    }
    ++m_counters.logins;
    http::HttpResponse response = http::HttpResponse::json(
        200,
        core::Envelope::success(QJsonObject{{QStringLiteral("required"), true},
                                      {QStringLiteral("authenticated"), true},
                                      {QStringLiteral("role"), QStringLiteral("operator")},
                                      {QStringLiteral("expires_in"), m_sessions.ttlSeconds()}}));
    response.setHeader("Set-Cookie", cookie(m_sessions.issue(), m_sessions.ttlSeconds()));
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

void AuthGate::logout(const http::HttpRequest &request, http::HttpResponder responder) {
    const QByteArray value = Credentials::cookie(request, cookieName());
    if (!value.isEmpty())
        m_sessions.revoke(value);
    http::HttpResponse response = http::HttpResponse::json(
        200, core::Envelope::success(QJsonObject{{QStringLiteral("authenticated"), false}}));
    response.setHeader("Set-Cookie", cookie(QByteArray(), 0));
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

void AuthGate::session(const http::HttpRequest &request, http::HttpResponder responder) const {
    QJsonObject state{{QStringLiteral("required"), authenticationRequired()},
                      {QStringLiteral("tls"), m_tls},
                      {QStringLiteral("login"), m_authenticator.hasToken()}};
    const AuthResult auth =
        authenticationRequired() ? m_authenticator.authenticate(request) : AuthResult{};
    const bool authenticated =
        !authenticationRequired() || auth.outcome == AuthResult::Outcome::Valid;
    state.insert(QStringLiteral("authenticated"), authenticated);
    if (authenticated) {
        state.insert(QStringLiteral("role"), Identity::roleName(auth.identity.role));
        if (!auth.identity.name.isEmpty())
            state.insert(QStringLiteral("user"), auth.identity.name);
    }
    http::HttpResponse response = http::HttpResponse::json(200, core::Envelope::success(state));
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

void AuthGate::addMetrics(Metrics *metrics) {
    metrics->addSection([this](QByteArray &out) {
        Metrics::help(out, "pullwatch_auth_refused_total", "counter",
                      "Requests refused by the security gate, by reason.");
        const std::pair<const char *, quint64> rows[] = {
            {"host", m_counters.refusedHost},
            {"origin", m_counters.refusedOrigin},
            {"unauthenticated", m_counters.unauthenticated},
            {"failed_login", m_counters.failedLogins},
            {"throttled", m_counters.throttled},
            {"forbidden", m_counters.forbidden}};
        for (const auto &[reason, count] : rows)
            out += "pullwatch_auth_refused_total{reason=\"" + QByteArray(reason) + "\"} " +
                   QByteArray::number(count) + '\n';
        Metrics::help(out, "pullwatch_auth_logins_total", "counter", "Successful POST /login.");
        out += "pullwatch_auth_logins_total " + QByteArray::number(m_counters.logins) + '\n';
        Metrics::help(out, "pullwatch_auth_bans_total", "counter",
                      "Addresses whose wrong credentials were refused for a while.");
        out += "pullwatch_auth_bans_total " + QByteArray::number(m_throttle.bans()) + '\n';
    });
}

} // namespace pw::server
