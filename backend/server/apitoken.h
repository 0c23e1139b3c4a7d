#pragma once

#include <QHostAddress>
#include <QString>

// Which API token the server enforces (docs/architecture.md §6), decided once at start-up:
// --token-file, else PULLWATCH_TOKEN, else — when bound beyond loopback, where a token is
// mandatory — a random token generated into the data directory (mode 0600). On loopback
// without a token nothing is required.
struct ApiToken {
    QString value;         // empty: no authentication; never logged
    QString generatedFile; // set when this start generated (or reused a generated) token

    struct Sources {
        QString tokenFile;
        QString tokenValue; // PULLWATCH_TOKEN
        QString dataDir;
        QHostAddress listenAddress;
    };
    // On failure `error` names the option and what is wrong.
    static bool resolve(const Sources &sources, ApiToken *token, QString *error);
    static QString generatedFileName() { return QStringLiteral("api-token"); }
};
