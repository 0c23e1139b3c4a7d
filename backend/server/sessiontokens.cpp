#include "sessiontokens.h"

#include "constanttime.h"
#include "serverlog.h"

#include "cache/redisrevocations.h"
#include "core/clock.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSaveFile>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace pw::server {

namespace {

constexpr int kMaxRevoked = 10'000;

QByteArray base64url(const QByteArray &bytes) {
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

SessionTokens::SessionTokens(QByteArray secret, core::Clock *clock, int ttlSeconds,
                             QString revokedFile)
    : m_key(QMessageAuthenticationCode::hash("pullwatch-session-v1", secret,
                                             QCryptographicHash::Sha256))
    , m_clock(clock)
    , m_ttlSeconds(ttlSeconds)
    , m_revokedFile(std::move(revokedFile)) {
    loadRevocations();
}

void SessionTokens::loadRevocations() {
    if (m_revokedFile.isEmpty())
        return;
    QFile file(m_revokedFile);
    if (!file.open(QIODevice::ReadOnly))
        return; // none yet
    const qint64 now = m_clock->now().toSecsSinceEpoch();
    while (!file.atEnd() && m_revoked.size() < kMaxRevoked) {
        const QList<QByteArray> parts = file.readLine(256).trimmed().split(' ');
        bool ok = false;
        const qint64 expiry = parts.size() == 2 ? parts[1].toLongLong(&ok) : 0;
        if (!ok || parts[0].isEmpty()) {
            if (!parts.value(0).isEmpty())
                qCWarning(lcServer).noquote() << m_revokedFile << ": skipping an unreadable line";
            continue;
        }
        if (expiry > now) // expired ones are gone with the next rewrite
            m_revoked.insert(parts[0], expiry);
    }
}

void SessionTokens::saveRevocations() const {
    if (m_revokedFile.isEmpty())
        return;
    QSaveFile file(m_revokedFile);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcServer).noquote() << "cannot keep logged-out sessions in" << m_revokedFile
                                      << ":" << file.errorString();
        return;
    }
    for (auto it = m_revoked.cbegin(); it != m_revoked.cend(); ++it)
        file.write(it.key() + ' ' + QByteArray::number(it.value()) + '\n');
    if (!file.commit()) {
        qCWarning(lcServer).noquote() << "cannot keep logged-out sessions in" << m_revokedFile
                                      << ":" << file.errorString();
        return;
    }
    // Later rewrites keep these permissions (QSaveFile copies them).
    QFile::setPermissions(m_revokedFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QByteArray SessionTokens::sign(const QByteArray &payload) const {
    return base64url(QMessageAuthenticationCode::hash(payload, m_key, QCryptographicHash::Sha256));
}

QByteArray SessionTokens::issue() {
    quint32 nonce[4];
    QRandomGenerator::system()->fillRange(nonce);
    const qint64 expiry = m_clock->now().toSecsSinceEpoch() + m_ttlSeconds;
    const QByteArray payload =
        QByteArray::number(expiry) + '.' +
        base64url(QByteArray(reinterpret_cast<const char *>(nonce), sizeof nonce));
    return payload + '.' + sign(payload);
}

bool SessionTokens::isValid(const QByteArray &value) const {
    const qsizetype lastDot = value.lastIndexOf('.');
    if (lastDot <= 0 || value.size() > 256)
        return false;
    const QByteArray payload = value.left(lastDot);
    if (!ConstantTime::equal(sign(payload), value.mid(lastDot + 1)))
        return false;
    const qsizetype firstDot = payload.indexOf('.');
    bool ok = false;
    const qint64 expiry = payload.left(firstDot).toLongLong(&ok);
    if (!ok || m_clock->now().toSecsSinceEpoch() >= expiry)
        return false;
    const QByteArray nonce = payload.mid(firstDot + 1);
    return m_shared ? !m_shared->contains(nonce) : !m_revoked.contains(nonce);
}

void SessionTokens::revoke(const QByteArray &value) {
    if (!isValid(value))
        return;
    const QByteArray payload = value.left(value.lastIndexOf('.'));
    const qsizetype dot = payload.indexOf('.');
    const QByteArray nonce = payload.mid(dot + 1);
    const qint64 expiry = payload.left(dot).toLongLong();
    if (m_shared) {
        m_shared->revoke(nonce, expiry);
        return;
    }
    dropExpiredRevocations();
    if (m_revoked.size() >= kMaxRevoked)
        return; // bounded; the session still ends at its expiry and its cookie is cleared
    m_revoked.insert(nonce, expiry);
    saveRevocations();
}

void SessionTokens::dropExpiredRevocations() {
    const qint64 now = m_clock->now().toSecsSinceEpoch();
    for (auto it = m_revoked.begin(); it != m_revoked.end();) {
        if (it.value() <= now)
            it = m_revoked.erase(it);
        else
            ++it;
    }
}

} // namespace pw::server
