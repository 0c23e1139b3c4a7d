#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

namespace pw::cache { class RedisRevocations; }
namespace pw::core { class Clock; }

namespace pw::server {

// Browser sessions after POST /login (docs/architecture.md §6). A session is a signed cookie value
// "<expiry seconds>.<nonce>.<HMAC-SHA256>" keyed by the API token, so sessions survive a
// restart with the same token and a changed token ends them all. POST /logout revokes the
// nonce until the session would have expired; with a file, revocations survive a restart too
// (lines "<nonce> <expiry>", mode 0600, rewritten on each logout, expired ones dropped);
// with Redis (setShared) they are shared by every replica instead.
class SessionTokens {
public:
    SessionTokens(QByteArray secret, core::Clock *clock, int ttlSeconds,
                  QString revokedFile = QString());

    QByteArray issue();
    bool isValid(const QByteArray &value) const;
    void revoke(const QByteArray &value);
    int ttlSeconds() const { return m_ttlSeconds; }
    // Keeps revocations in Redis, shared by replicas, instead of the file.
    void setShared(cache::RedisRevocations *shared) { m_shared = shared; }

private:
    QByteArray sign(const QByteArray &payload) const;
    void dropExpiredRevocations();
    void loadRevocations();
    void saveRevocations() const;

    QByteArray m_key;
    core::Clock *m_clock;
    int m_ttlSeconds;
    QString m_revokedFile;
    QHash<QByteArray, qint64> m_revoked; // nonce → expiry (seconds since epoch)
    cache::RedisRevocations *m_shared = nullptr;
};

} // namespace pw::server
