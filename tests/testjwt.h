#pragma once

// JSON Web Tokens signed by the tests themselves (HS256/384/512 with Qt's HMAC), so that
// what the server's library accepts is checked against an independent signer.

#include <QByteArray>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

namespace TestJwt {

inline QByteArray b64(const QByteArray &bytes) {
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

inline QByteArray json(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// base64url(header) "." base64url(claims)
inline QByteArray signingInput(const QByteArray &alg, const QJsonObject &claims) {
    return b64(json({{QStringLiteral("alg"), QString::fromLatin1(alg)},
                     {QStringLiteral("typ"), QStringLiteral("JWT")}})) +
           '.' + b64(json(claims));
}

inline QByteArray hmac(const QJsonObject &claims, const QByteArray &secret,
                       const QByteArray &alg = "HS256") {
    const QByteArray input = signingInput(alg, claims);
    const auto hash = alg == "HS512"   ? QCryptographicHash::Sha512
                      : alg == "HS384" ? QCryptographicHash::Sha384
                                       : QCryptographicHash::Sha256;
    return input + '.' + b64(QMessageAuthenticationCode::hash(input, secret, hash));
}

// The claims of the platform's tokens: user_id, username, is_super_admin, exp, iat, iss.
inline QJsonObject platformClaims(qint64 now, const QString &user, bool admin,
                                  qint64 expiresIn = 3600) {
    return {{QStringLiteral("user_id"), 42},
            {QStringLiteral("username"), user},
            {QStringLiteral("is_super_admin"), admin},
            {QStringLiteral("exp"), now + expiresIn},
            {QStringLiteral("iat"), now},
            {QStringLiteral("iss"), QStringLiteral("platform")}};
}

} // namespace TestJwt
