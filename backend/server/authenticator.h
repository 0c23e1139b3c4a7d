#pragma once

#include "identity.h"

#include <QByteArray>
#include <QString>

namespace pw::http { struct HttpRequest; }

namespace pw::server {

class JwtVerifier;
class SessionTokens;

// What the request's credential proves (docs/architecture.md §6). Credentials are tried in
// this order: "Authorization: Bearer" (the API token, else a JWT), the session cookie of
// POST /login, the JWT cookie. The first one present decides.
struct AuthResult {
    enum class Outcome {
        Missing, // no credential (or a stale one: an ended session, an expired JWT)
        Valid,
        Invalid, // a credential that is wrong: a guess, to be throttled
    };
    Outcome outcome = Outcome::Missing;
    Identity identity;
    QString error; // why not Valid, for the 401 answer
    bool bearer = false;
};

class Authenticator {
public:
    struct Settings {
        QByteArray token; // the static API token (operator); empty: none
        const JwtVerifier *jwt = nullptr;
        QByteArray jwtCookie = QByteArrayLiteral("token");
    };
    Authenticator(Settings settings, const SessionTokens *sessions);

    // Whether any credential is configured, so that requests must carry one.
    bool required() const;
    bool hasToken() const { return !m_settings.token.isEmpty(); }
    AuthResult authenticate(const http::HttpRequest &request) const;
    // The POST /login check: the API token, compared in constant time.
    bool isToken(const QByteArray &candidate) const;

private:
    AuthResult fromBearer(const QByteArray &bearer) const;
    AuthResult fromJwt(const QByteArray &jwt, bool bearer) const;

    Settings m_settings;
    const SessionTokens *m_sessions;
};

} // namespace pw::server
