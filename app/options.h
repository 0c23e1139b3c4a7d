#pragma once

#include "pulls/pullsettings.h"

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace pw::app {

// Every setting of pullwatch, after merging, in rising priority: the config file, the
// PULLWATCH_* environment, the command line.
struct AppOptions
{
    bool headless = false;
    bool demo = false;
    QUrl connectUrl;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8080;
    QString configFile;
    QString tokenFile;
    QString token; // from PULLWATCH_TOKEN; never logged
    QString kubeconfig;
    QString context;
    QString namespaceName;
    QString redisUrl;
    QString dataDir;
    QString tlsCert;
    QString tlsKey;
    // docs/architecture.md §6: JWTs, roles and allowed origins.
    QString jwtSecretFile;
    QString jwtPublicKey;
    QString jwtIssuer;
    QString jwtAudience;
    QString jwtOperatorClaim = QStringLiteral("is_super_admin");
    QString jwtCookie = QStringLiteral("token");
    QStringList allowedOrigins; // normalised
    QString logLevel = QStringLiteral("info");
    QString logFormat = QStringLiteral("text");
    // The registry policy's two lists, combined into pull.registryPolicy.
    QString allowedRegistries;
    QString blockedNetworks = core::RegistryPolicy::defaultBlockedNetworks();
    // Completion callbacks: every URL gets each finished pull's JSON, signed with the key in
    // the secret file (read at start).
    QStringList notifyUrls;
    QString notifySecretFile;
    // The pull Job (namespace is taken from `namespaceName` above).
    pulls::PullSettings pull;
};

struct ParsedOptions
{
    enum class Outcome { Run, Help, Version, Error };
    Outcome outcome = Outcome::Run;
    AppOptions options;
    QString text; // help text, version line, or the error naming the option
};

namespace Options {
// `arguments` includes the program name first, as QCoreApplication::arguments() does.
ParsedOptions parse(const QStringList &arguments, const QProcessEnvironment &environment);
QString defaultConfigFile();
QString defaultDataDir();
} // namespace Options

} // namespace pw::app
