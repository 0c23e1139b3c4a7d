#pragma once

#include <QByteArray>
#include <QSet>
#include <QString>

#include <memory>

namespace pw::core { class Clock; }

namespace pw::server {

// Verifies the JSON Web Tokens of the platform Pullwatch replaces, or of an identity
// provider (docs/architecture.md §6), with Debian's libjwt. The signature algorithm is
// pinned to the configured keys: HS256/384/512 with the shared secret, RS256/384/512 or
// ES256/384/512 with the public key, nothing else ("none" never; a token whose header
// names another family is refused before any key is used, so an RSA public key can never
// serve as an HMAC secret). `exp` is required; `exp` and `nbf` allow `leewaySeconds` of
// clock skew; `iss` and `aud` are checked when configured.
class JwtVerifier {
public:
    struct Settings {
        QByteArray secret;       // HS*; empty: none
        QByteArray publicKeyPem; // RS* or ES*; empty: none
        QString issuer;          // required `iss` when not empty
        QString audience;        // required in `aud` when not empty
        QString operatorClaim = QStringLiteral("is_super_admin");
        int leewaySeconds = 60;
        core::Clock *clock = nullptr;
    };
    struct Result {
        QString error; // empty: valid
        // The signature checked out (the token was issued by the key holder), whatever the
        // claims say: an expired token is stale, not a guess.
        bool signatureValid = false;
        bool operatorRole = false;
        QString user; // `username`, else `sub`
    };

    // Reads the key files of --jwt-secret-file / --jwt-public-key; nullptr with `error`
    // naming the option when a file is unreadable or holds no usable key.
    static std::unique_ptr<JwtVerifier> fromFiles(const QString &secretFile,
                                                  const QString &publicKeyFile, Settings settings,
                                                  QString *error);
    // With the keys in `settings`; `error` says why not when they are unusable.
    static std::unique_ptr<JwtVerifier> create(Settings settings, QString *error);

    Result verify(const QByteArray &token) const;
    // The algorithms accepted, e.g. "HS256, HS384, HS512".
    QString acceptedAlgorithms() const;
    const Settings &settings() const { return m_settings; }

private:
    explicit JwtVerifier(Settings settings);
    QString checkClaims(const QByteArray &claimsJson, Result *result) const;

    Settings m_settings;
    QSet<QByteArray> m_algorithms; // accepted `alg` values
};

} // namespace pw::server
