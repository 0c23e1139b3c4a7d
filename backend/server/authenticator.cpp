#include "authenticator.h"

#include "authgate.h"
#include "constanttime.h"
#include "credentials.h"
#include "jwtverifier.h"
#include "sessiontokens.h"

#include "http/httprequest.h"

namespace pw::server {

namespace {

AuthResult valid(Identity::Kind kind, Identity::Role role, const QString &name = {}) {
    AuthResult r;
    r.outcome = AuthResult::Outcome::Valid;
    r.identity.kind = kind;
    r.identity.role = role;
    r.identity.name = name;
    return r;
}

AuthResult refused(AuthResult::Outcome outcome, const QString &error) {
    AuthResult r;
    r.outcome = outcome;
    r.error = error;
    return r;
}

} // namespace

Authenticator::Authenticator(Settings settings, const SessionTokens *sessions)
    : m_settings(std::move(settings))
    , m_sessions(sessions) {}

bool Authenticator::required() const {
    return hasToken() || m_settings.jwt;
}

bool Authenticator::isToken(const QByteArray &candidate) const {
    return hasToken() && ConstantTime::equal(candidate, m_settings.token);
}

AuthResult Authenticator::authenticate(const http::HttpRequest &request) const {
    const QByteArray bearer = Credentials::bearer(request);
    if (!bearer.isEmpty()) {
        AuthResult r = fromBearer(bearer);
        r.bearer = true;
        return r;
    }
    if (Credentials::otherScheme(request))
        return refused(AuthResult::Outcome::Missing,
                       QStringLiteral("only 'Authorization: Bearer <token>' is accepted"));
    if (hasToken()) {
        const QByteArray session = Credentials::cookie(request, AuthGate::cookieName());
        if (!session.isEmpty()) {
            if (m_sessions->isValid(session))
                return valid(Identity::Kind::Session, Identity::Role::Operator);
            // Signed with a key only this server knows: an ended session, not a guess.
            return refused(AuthResult::Outcome::Missing,
                           QStringLiteral("the session has ended; log in again with POST /login"));
        }
    }
    if (m_settings.jwt) {
        const QByteArray jwt = Credentials::cookie(request, m_settings.jwtCookie);
        if (!jwt.isEmpty())
            return fromJwt(jwt, false);
    }
    return refused(AuthResult::Outcome::Missing,
                   QStringLiteral("authentication required: send 'Authorization: Bearer <token>' "
                                  "or log in with POST /login"));
}

AuthResult Authenticator::fromBearer(const QByteArray &bearer) const {
    if (isToken(bearer))
        return valid(Identity::Kind::Token, Identity::Role::Operator);
    // A JWT has three base64url parts; the API token is compared first, so a token that
    // happens to contain two dots still works.
    if (m_settings.jwt && bearer.count('.') == 2)
        return fromJwt(bearer, true);
    return refused(AuthResult::Outcome::Invalid, QStringLiteral("the bearer token is wrong"));
}

AuthResult Authenticator::fromJwt(const QByteArray &jwt, bool bearer) const {
    const JwtVerifier::Result verified = m_settings.jwt->verify(jwt);
    if (!verified.error.isEmpty()) {
        // A JWT whose signature checked out but which has expired is stale, not a guess.
        const auto outcome =
            verified.signatureValid ? AuthResult::Outcome::Missing : AuthResult::Outcome::Invalid;
        return refused(outcome, (bearer ? QStringLiteral("the bearer JWT is not accepted: ")
                                        : QStringLiteral("the JWT cookie is not accepted: ")) +
                                    verified.error);
    }
    return valid(Identity::Kind::Jwt,
                 verified.operatorRole ? Identity::Role::Operator : Identity::Role::Viewer,
                 verified.user);
}

} // namespace pw::server
