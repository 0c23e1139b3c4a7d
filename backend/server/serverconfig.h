#pragma once

#include "loginthrottle.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace pw::cache { class RedisClient; }
namespace pw::core { class Clock; }

namespace pw::server {

class JwtVerifier;

// What the API server needs to know to start.
struct ServerConfig
{
    // On the demo cluster: what its image names do ([{keyword, outcome, example}]), served in
    // /api/version so clients can teach it; empty elsewhere.
    QJsonArray demoOutcomes;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;
    QString tlsCertFile;
    QString tlsKeyFile;
    // docs/architecture.md §6: the API token (empty: none required) and the clock for sessions and bans.
    QByteArray token;
    core::Clock *clock = nullptr;
    int sessionTtlSeconds = 12 * 3600;
    // Where logged-out sessions are kept, so a restart does not bring them back (empty: in
    // memory only).
    QString revokedSessionsFile;
    // JWTs accepted besides the token (null: none), and the cookie that may carry one.
    std::shared_ptr<const JwtVerifier> jwt;
    QByteArray jwtCookie = QByteArrayLiteral("token");
    // Origins trusted like our own, with CORS answers (--allowed-origin), normalised.
    QStringList allowedOrigins;
    // Logged-out sessions are kept in this Redis instead of the file, shared by replicas.
    cache::RedisClient *redis = nullptr;
    // How wrong credentials are throttled (tests shorten the delay or raise the limits).
    LoginThrottle::Settings throttle;
};

} // namespace pw::server
