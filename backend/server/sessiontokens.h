#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>

class Clock;

// Browser sessions after POST /login (DESIGN.md §6). A session is a signed cookie value
// "<expiry seconds>.<nonce>.<HMAC-SHA256>" keyed by the API token, so sessions survive a
// restart with the same token and a changed token ends them all. POST /logout revokes the
// nonce until the session would have expired.
class SessionTokens {
public:
    SessionTokens(QByteArray secret, Clock *clock, int ttlSeconds);

    QByteArray issue();
    bool isValid(const QByteArray &value) const;
    void revoke(const QByteArray &value);
    int ttlSeconds() const { return m_ttlSeconds; }

    // Constant-time comparison (no early exit on the first different byte, length hidden
    // behind a hash), for tokens and signatures.
    static bool equalConstantTime(const QByteArray &a, const QByteArray &b);

private:
    QByteArray sign(const QByteArray &payload) const;
    void dropExpiredRevocations();

    QByteArray m_key;
    Clock *m_clock;
    int m_ttlSeconds;
    QHash<QByteArray, qint64> m_revoked; // nonce → expiry (seconds since epoch)
};
