#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <functional>

class Clock;

// Browser sessions after POST /login (docs/architecture.md §6). A session is a signed cookie value
// "<expiry seconds>.<nonce>.<HMAC-SHA256>" keyed by the API token, so sessions survive a
// restart with the same token and a changed token ends them all. POST /logout revokes the
// nonce until the session would have expired; with a file, revocations survive a restart too
// (lines "<nonce> <expiry>", mode 0600, rewritten on each logout, expired ones dropped).
class SessionTokens {
public:
    SessionTokens(QByteArray secret, Clock *clock, int ttlSeconds,
                  QString revokedFile = QString());

    QByteArray issue();
    bool isValid(const QByteArray &value) const;
    void revoke(const QByteArray &value);
    // A revocation made by another replica: the nonce ends here too (bounded, not saved).
    void adopt(const QByteArray &nonce, qint64 expiry);
    // Told of every revocation made here, to share it.
    void setOnRevoked(std::function<void(const QByteArray &nonce, qint64 expiry)> onRevoked)
    {
        m_onRevoked = std::move(onRevoked);
    }
    int ttlSeconds() const { return m_ttlSeconds; }

    // Constant-time comparison (no early exit on the first different byte, length hidden
    // behind a hash), for tokens and signatures.
    static bool equalConstantTime(const QByteArray &a, const QByteArray &b);

private:
    QByteArray sign(const QByteArray &payload) const;
    void dropExpiredRevocations();
    void loadRevocations();
    void saveRevocations() const;

    QByteArray m_key;
    Clock *m_clock;
    int m_ttlSeconds;
    QString m_revokedFile;
    QHash<QByteArray, qint64> m_revoked; // nonce → expiry (seconds since epoch)
    std::function<void(const QByteArray &, qint64)> m_onRevoked;
};
