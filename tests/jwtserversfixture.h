#pragma once

#include "clusterservices.h"
#include "testclock.h"

#include "core/clock.h"
#include "server/apiserver.h"
#include "server/jwtverifier.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// A platform JWT signed with `secret` (HMAC, by the test itself).
QByteArray hmacJwt(const QJsonObject &claims, const QByteArray &secret,
                   const QByteArray &alg = "HS256");
// The platform's claims for `user`, issued now by `clock`, expiring in `expIn` seconds.
QJsonObject platformClaims(const pw::core::Clock &clock, const QString &user, bool admin,
                           qint64 expIn = 3600);

// What the JWT suites share: RSA and EC key pairs made by the openssl command in m_dir, and
// three real servers on the simulated cluster with the API token kToken, the allowed origin
// kAllowed and a clock the test moves: m_hs verifies the platform's HS256 secret kSecret,
// m_rs an identity provider's RSA key (issuer, audience, operator claim), m_es an EC key.
// Every log line the process writes is kept in capturedLog() (logcapture.h).
class JwtServersFixture : public QObject {
protected:
    static const QByteArray kToken;
    static const QByteArray kSecret;
    static const QByteArray kAllowed;

    // From the suite's initTestCase / cleanupTestCase.
    void startServers();
    void stopServers();

    TestClock m_clock;
    QTemporaryDir m_dir;
    ClusterServices m_services;
    std::unique_ptr<pw::server::ApiServer> m_hs; // the platform's shared secret
    std::unique_ptr<pw::server::ApiServer> m_rs; // an identity provider's RSA key, issuer and audience
    std::unique_ptr<pw::server::ApiServer> m_es; // an EC key

private:
    std::unique_ptr<pw::server::ApiServer> startServer(std::shared_ptr<const pw::server::JwtVerifier> jwt);
};
