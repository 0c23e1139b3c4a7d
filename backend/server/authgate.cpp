#include "authgate.h"
#include "sharedrevocations.h"

#include "apierror.h"
#include "metrics.h"
#include "serverlog.h"

#include "core/clock.h"
#include "core/envelope.h"
#include "http/httpserver.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {

void sendError(HttpResponder &responder, int status, const QString &message,
               QList<QPair<QByteArray, QByteArray>> extraHeaders = {}) {
    HttpResponse response = ApiError::toResponse(status, message);
    for (auto &[name, value] : extraHeaders)
        response.setHeader(name, value);
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

} // namespace

AuthGate::AuthGate(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_sessions(m_settings.token, m_settings.clock ? m_settings.clock : Clock::system(),
                 m_settings.sessionTtlSeconds, m_settings.revokedSessionsFile)
    , m_throttle(m_settings.clock ? m_settings.clock : Clock::system(), m_settings.throttle) {
    if (SharedRevocations *shared = m_settings.sharedRevocations) {
        // docs/architecture.md §6: a logout on one replica ends the session on all of them.
        m_sessions.setOnRevoked([shared](const QByteArray &nonce, qint64 expiry) { shared->publish(nonce, expiry); });
        shared->setAdopt([this](const QByteArray &nonce, qint64 expiry) { m_sessions.adopt(nonce, expiry); });
    }
}

AuthGate::~AuthGate() {
    if (m_settings.sharedRevocations)
        m_settings.sharedRevocations->setAdopt({}); // it may outlive this gate
}

void AuthGate::install(HttpServer &server) {
    HttpRouter &r = server.router();
    r.add("POST", QStringLiteral("/login"),
          [this](const HttpRequest &request, HttpResponder responder) {
              login(request, std::move(responder));
          });
    r.add("POST", QStringLiteral("/logout"),
          [this](const HttpRequest &request, HttpResponder responder) {
              logout(request, std::move(responder));
          });
    r.add("GET", QStringLiteral("/api/session"),
          [this](const HttpRequest &request, HttpResponder responder) {
              session(request, std::move(responder));
          });
    server.setGate([this](const HttpRequest &request, HttpResponder &responder) {
        return gate(request, responder);
    });
}

void AuthGate::setListening(const QHostAddress &address, quint16 port, bool tls) {
    m_policy = std::make_unique<RequestPolicy>(address, port, tls);
    m_tls = tls;
}

bool AuthGate::isPublic(const HttpRequest &request) {
    // What a browser needs before it can log in; it holds no data. /healthz stays open
    // for probes, and so does /readyz: Kubernetes readiness probes cannot send a
    // token (installer/kubernetes/deployment.yaml probes it); it tells only whether the
    // cluster is listed and the cache is up.
    const QByteArray &p = request.rawPath;
    return p == "/healthz" || p == "/readyz" || p == "/" || p == "/index.html" ||
           p == "/favicon.ico" || p.startsWith("/static/") || p == "/login" || p == "/logout" ||
           p == "/api/session";
}

QByteArray AuthGate::sessionCookie(const HttpRequest &request) {
    const QByteArray prefix = cookieName() + '=';
    for (const auto &[name, value] : request.headers) {
        if (name != "cookie")
            continue;
        for (QByteArray part : value.split(';')) {
            part = part.trimmed();
            if (part.startsWith(prefix))
                return part.mid(prefix.size());
        }
    }
    return {};
}

bool AuthGate::isAuthenticated(const HttpRequest &request) const {
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer "))
        return SessionTokens::equalConstantTime(authorization.mid(7).trimmed(), m_settings.token);
    const QByteArray cookie = sessionCookie(request);
    return !cookie.isEmpty() && m_sessions.isValid(cookie);
}

bool AuthGate::gate(const HttpRequest &request, HttpResponder &responder) {
    if (request.rawPath == "/healthz")
        return false;
    if (m_policy) {
        if (const QString error = m_policy->checkHost(request); !error.isEmpty()) {
            ++m_counters.refusedHost;
            sendError(responder, 403, error);
            return true;
        }
        // RFC 6455 §10.2: a server must check the Origin of a WebSocket handshake; and any
        // request that changes state must come from our own page (cross-site request forgery).
        if (request.isWebSocketUpgrade() || RequestPolicy::isStateChanging(request.method)) {
            if (const QString error = m_policy->checkOrigin(request); !error.isEmpty()) {
                ++m_counters.refusedOrigin;
                qCInfo(lcServer).noquote() << "refused a cross-site" << request.method << "from"
                                           << request.peerAddress.toString();
                sendError(responder, 403, error);
                return true;
            }
        }
    }
    if (!tokenRequired() || isPublic(request))
        return false;
    const bool triedBearer = request.header("authorization").startsWith("Bearer ");
    if (triedBearer) {
        // Guessing the token by bearer is throttled like guessing it by /login.
        if (const qint64 wait = m_throttle.retryAfterMs(request.peerAddress); wait > 0) {
            refuseThrottled(responder, wait);
            return true;
        }
    }
    if (isAuthenticated(request))
        return false;
    ++m_counters.unauthenticated;
    if (triedBearer) {
        m_throttle.recordFailure(request.peerAddress);
        sendError(responder, 401, QStringLiteral("the bearer token is wrong"),
                  {{"WWW-Authenticate", "Bearer realm=\"pullwatch\", error=\"invalid_token\""}});
        return true;
    }
    sendError(responder, 401,
              QStringLiteral("authentication required: send 'Authorization: Bearer <token>' or log "
                             "in with POST /login"),
              {{"WWW-Authenticate", "Bearer realm=\"pullwatch\""}});
    return true;
}

void AuthGate::refuseThrottled(HttpResponder &responder, qint64 retryAfterMs) {
    ++m_counters.throttled;
    const qint64 seconds = (retryAfterMs + 999) / 1000;
    sendError(
        responder, 429,
        QStringLiteral("too many failed logins from this address; try again in %1 s").arg(seconds),
        {{"Retry-After", QByteArray::number(seconds)}});
}

QByteArray AuthGate::cookie(const QByteArray &value, int maxAge) const {
    QByteArray c = cookieName() + '=' + value + "; Path=/; Max-Age=" + QByteArray::number(maxAge) +
                   "; HttpOnly; SameSite=Strict";
    if (m_tls)
        c += "; Secure";
    return c;
}

void AuthGate::login(const HttpRequest &request, HttpResponder responder) {
    if (!tokenRequired()) {
        responder.send(HttpResponse::json(
            200, Envelope::success(QJsonObject{{QStringLiteral("required"), false},
                                               {QStringLiteral("authenticated"), true}})));
        return;
    }
    if (const qint64 wait = m_throttle.retryAfterMs(request.peerAddress); wait > 0) {
        refuseThrottled(responder, wait);
        return;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    const QJsonValue token = doc.object().value(QStringLiteral("token"));
    if (parseError.error != QJsonParseError::NoError || !token.isString()) {
        sendError(responder, 400, QStringLiteral("POST /login takes {\"token\":\"<API token>\"}"));
        return;
    }
    if (!SessionTokens::equalConstantTime(token.toString().trimmed().toUtf8(), m_settings.token)) {
        ++m_counters.failedLogins;
        m_throttle.recordFailure(request.peerAddress);
        qCInfo(lcServer).noquote() << "failed login from" << request.peerAddress.toString();
        sendError(responder, 401, QStringLiteral("wrong token"));
        return;
    }
    m_throttle.recordSuccess(request.peerAddress);
    ++m_counters.logins;
    HttpResponse response = HttpResponse::json(
        200,
        Envelope::success(QJsonObject{{QStringLiteral("required"), true},
                                      {QStringLiteral("authenticated"), true},
                                      {QStringLiteral("expires_in"), m_sessions.ttlSeconds()}}));
    response.setHeader("Set-Cookie", cookie(m_sessions.issue(), m_sessions.ttlSeconds()));
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

void AuthGate::logout(const HttpRequest &request, HttpResponder responder) {
    const QByteArray value = sessionCookie(request);
    if (!value.isEmpty())
        m_sessions.revoke(value);
    HttpResponse response = HttpResponse::json(
        200, Envelope::success(QJsonObject{{QStringLiteral("authenticated"), false}}));
    response.setHeader("Set-Cookie", cookie(QByteArray(), 0));
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

void AuthGate::session(const HttpRequest &request, HttpResponder responder) const {
    const bool authenticated = !tokenRequired() || isAuthenticated(request);
    HttpResponse response = HttpResponse::json(
        200, Envelope::success(QJsonObject{{QStringLiteral("required"), tokenRequired()},
                                           {QStringLiteral("authenticated"), authenticated},
                                           {QStringLiteral("tls"), m_tls}}));
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
            {"throttled", m_counters.throttled}};
        for (const auto &[reason, count] : rows)
            out += "pullwatch_auth_refused_total{reason=\"" + QByteArray(reason) + "\"} " +
                   QByteArray::number(count) + '\n';
        Metrics::help(out, "pullwatch_auth_logins_total", "counter", "Successful POST /login.");
        out += "pullwatch_auth_logins_total " + QByteArray::number(m_counters.logins) + '\n';
        Metrics::help(out, "pullwatch_auth_bans_total", "counter",
                      "Addresses refused for a while after repeated failed logins.");
        out += "pullwatch_auth_bans_total " + QByteArray::number(m_throttle.bans()) + '\n';
    });
}
