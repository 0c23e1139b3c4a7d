#include "jwtverifier.h"

#include "serverlog.h"

#include "core/clock.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslKey>

#include <jwt.h>

#include <cstdlib>

namespace pw::server {

namespace {

constexpr qint64 kMaxTokenBytes = 8192;

// RFC 7518 §3.2: an HMAC key shorter than the hash output weakens it.
constexpr qsizetype kMinSecretBytes = 32;

QByteArray readSmallFile(const QString &path, const QString &option, QString *error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read %2: %3").arg(option, path, file.errorString());
        return {};
    }
    const QByteArray data = file.read(64 * 1024);
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
        qCWarning(lcServer).noquote()
            << "the key file" << path << "of" << option << "is readable by other users";
    return data;
}

struct JwtDeleter {
    void operator()(jwt_t *jwt) const { jwt_free(jwt); }
};

QJsonObject decodePart(const QByteArray &part) {
    const auto decoded = QByteArray::fromBase64Encoding(
        part, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return {};
    return QJsonDocument::fromJson(*decoded).object();
}

} // namespace

JwtVerifier::JwtVerifier(Settings settings)
    : m_settings(std::move(settings)) {}

std::unique_ptr<JwtVerifier> JwtVerifier::fromFiles(const QString &secretFile,
                                                    const QString &publicKeyFile, Settings settings,
                                                    QString *error) {
    if (!secretFile.isEmpty()) {
        // The file holds the secret as the platform keeps it; a final newline is not part
        // of it.
        QByteArray secret = readSmallFile(secretFile, QStringLiteral("--jwt-secret-file"), error);
        if (!error->isEmpty())
            return nullptr;
        while (secret.endsWith('\n') || secret.endsWith('\r'))
            secret.chop(1);
        if (secret.isEmpty()) {
            *error = QStringLiteral("--jwt-secret-file: %1 is empty").arg(secretFile);
            return nullptr;
        }
        settings.secret = secret;
    }
    if (!publicKeyFile.isEmpty()) {
        settings.publicKeyPem =
            readSmallFile(publicKeyFile, QStringLiteral("--jwt-public-key"), error);
        if (!error->isEmpty())
            return nullptr;
    }
    return create(std::move(settings), error);
}

std::unique_ptr<JwtVerifier> JwtVerifier::create(Settings settings, QString *error) {
    std::unique_ptr<JwtVerifier> verifier(new JwtVerifier(std::move(settings)));
    const Settings &s = verifier->m_settings;
    if (!s.secret.isEmpty()) {
        verifier->m_algorithms += {"HS256", "HS384", "HS512"};
        if (s.secret.size() < kMinSecretBytes)
            qCWarning(lcServer).noquote()
                << "the JWT secret is shorter than" << kMinSecretBytes
                << "bytes (RFC 7518 §3.2 asks for at least the hash size)";
    }
    if (!s.publicKeyPem.isEmpty()) {
        if (!QSslKey(s.publicKeyPem, QSsl::Rsa, QSsl::Pem, QSsl::PublicKey).isNull()) {
            verifier->m_algorithms += {"RS256", "RS384", "RS512"};
        } else if (!QSslKey(s.publicKeyPem, QSsl::Ec, QSsl::Pem, QSsl::PublicKey).isNull()) {
            verifier->m_algorithms += {"ES256", "ES384", "ES512"};
        } else {
            *error = QStringLiteral("--jwt-public-key: not a PEM RSA or EC public key "
                                    "(-----BEGIN PUBLIC KEY-----)");
            return nullptr;
        }
    }
    if (verifier->m_algorithms.isEmpty()) {
        *error = QStringLiteral("a JWT key is needed: --jwt-secret-file or --jwt-public-key");
        return nullptr;
    }
    if (!s.clock)
        verifier->m_settings.clock = core::Clock::system();
    return verifier;
}

QString JwtVerifier::acceptedAlgorithms() const {
    QStringList names;
    for (const QByteArray &alg : m_algorithms)
        names << QString::fromLatin1(alg);
    names.sort();
    return names.join(QStringLiteral(", "));
}

JwtVerifier::Result JwtVerifier::verify(const QByteArray &token) const {
    Result result;
    const QList<QByteArray> parts = token.split('.');
    if (token.size() > kMaxTokenBytes || parts.size() != 3 || parts[2].isEmpty()) {
        result.error = QStringLiteral("not a signed JWT (header.payload.signature)");
        return result;
    }
    // RFC 8725 §3.1: the algorithm is pinned before any key is touched.
    const QJsonObject header = decodePart(parts[0]);
    const QByteArray alg = header.value(QStringLiteral("alg")).toString().toLatin1();
    if (!m_algorithms.contains(alg)) {
        result.error = QStringLiteral("alg '%1' is not accepted; accepted: %2")
                           .arg(QString::fromLatin1(alg.left(20)), acceptedAlgorithms());
        return result;
    }
    if (header.contains(QStringLiteral("crit"))) {
        result.error = QStringLiteral("the 'crit' header is not supported (RFC 7515 §4.1.11)");
        return result;
    }
    const QByteArray &key = alg.startsWith("HS") ? m_settings.secret : m_settings.publicKeyPem;
    const QByteArray terminated = token + '\0';
    jwt_t *raw = nullptr;
    const int status =
        jwt_decode(&raw, terminated.constData(),
                   reinterpret_cast<const unsigned char *>(key.constData()), int(key.size()));
    std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
    if (status != 0 || !jwt || jwt_get_alg(jwt.get()) != jwt_str_alg(alg.constData())) {
        result.error = QStringLiteral("the signature does not verify");
        return result;
    }
    result.signatureValid = true;
    char *claims = jwt_get_grants_json(jwt.get(), nullptr);
    const QByteArray claimsJson(claims ? claims : "");
    std::free(claims);
    result.error = checkClaims(claimsJson, &result);
    return result;
}

QString JwtVerifier::checkClaims(const QByteArray &claimsJson, Result *result) const {
    const QJsonObject claims = QJsonDocument::fromJson(claimsJson).object();
    const qint64 now = m_settings.clock->now().toSecsSinceEpoch();
    const QJsonValue exp = claims.value(QStringLiteral("exp"));
    if (!exp.isDouble())
        return QStringLiteral("the 'exp' claim (expiry, seconds since 1970) is required");
    if (now >= qint64(exp.toDouble()) + m_settings.leewaySeconds)
        return QStringLiteral("it has expired");
    const QJsonValue nbf = claims.value(QStringLiteral("nbf"));
    if (!nbf.isUndefined()) {
        if (!nbf.isDouble())
            return QStringLiteral("the 'nbf' claim must be a number of seconds since 1970");
        if (now + m_settings.leewaySeconds < qint64(nbf.toDouble()))
            return QStringLiteral("it is not valid yet ('nbf')");
    }
    if (!m_settings.issuer.isEmpty() &&
        claims.value(QStringLiteral("iss")).toString() != m_settings.issuer)
        return QStringLiteral("the issuer ('iss') is not '%1'").arg(m_settings.issuer);
    if (!m_settings.audience.isEmpty()) {
        const QJsonValue aud = claims.value(QStringLiteral("aud"));
        const bool listed = aud.isArray() ? aud.toArray().contains(QJsonValue(m_settings.audience))
                                          : aud.toString() == m_settings.audience;
        if (!listed)
            return QStringLiteral("the audience ('aud') does not name '%1'")
                .arg(m_settings.audience);
    }
    result->operatorRole = claims.value(m_settings.operatorClaim).toBool(false);
    result->user = claims.value(QStringLiteral("username")).toString();
    if (result->user.isEmpty())
        result->user = claims.value(QStringLiteral("sub")).toString();
    return {};
}

} // namespace pw::server
