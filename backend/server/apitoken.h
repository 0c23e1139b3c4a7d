#pragma once

#include <QHostAddress>
#include <QString>

namespace pw::server {

// Which API token the server enforces (docs/architecture.md §6), decided once at start-up:
// --token-file, else PULLWATCH_TOKEN, else — when bound beyond loopback, where a token is
// mandatory and no JWT key is given — a random token generated into the data directory
// (mode 0600). On loopback without a token nothing is required. A given token must have at
// least 128 bits of entropy (TokenEntropy).
struct ApiToken {
    QString value;         // empty: no authentication; never logged
    QString generatedFile; // set when this start generated (or reused a generated) token

    struct Sources {
        QString tokenFile;
        QString tokenValue; // PULLWATCH_TOKEN
        QString dataDir;
        QHostAddress listenAddress;
        bool jwtConfigured = false; // JWTs authenticate: no token is generated
    };
    // On failure `error` names the option and what is wrong.
    static bool resolve(const Sources &sources, ApiToken *token, QString *error);
    // A new random token (256 bits, base64url).
    static QString random();
    static QString generatedFileName() { return QStringLiteral("api-token"); }
};

} // namespace pw::server
