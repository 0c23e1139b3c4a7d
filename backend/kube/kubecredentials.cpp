#include "kubecredentials.h"

#include "execplugin.h"
#include "kubelog.h"
#include "core/clock.h"

#include <QFile>

#include <limits>

namespace pw::kube {

KubeCredentials::KubeCredentials(const KubeConfig &config, core::Clock *clock, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(clock) {
    m_token = config.token.toUtf8();
    if (!config.clientCertPem.isEmpty()) {
        // Parse errors were already reported by KubeClient::create(); a null identity here
        // just means no client certificate.
        if (auto id = KubeTls::parseIdentity(config.clientCertPem, config.clientKeyPem))
            m_identity = id.value();
    }
    if (config.exec) {
        m_exec = new ExecPlugin(*config.exec, config.server, config.caPem, this);
        connect(m_exec, &ExecPlugin::finished, this, &KubeCredentials::onExecFinished);
        connect(m_exec, &ExecPlugin::failed, this, &KubeCredentials::onExecFailed);
    }
}

KubeCredentials::~KubeCredentials() = default;

int KubeCredentials::execRuns() const {
    return m_exec ? m_exec->runCount() : 0;
}

void KubeCredentials::setExecTimeoutMs(int ms) {
    if (m_exec)
        m_exec->setTimeoutMs(ms);
}

bool KubeCredentials::isCurrent() const {
    if (m_exec)
        return m_execValid && m_clock->monotonicMs() < m_execExpiresAtMs;
    if (!m_config.tokenFile.isEmpty() && m_config.token.isEmpty())
        return m_tokenReadAtMs >= 0 &&
               m_clock->monotonicMs() - m_tokenReadAtMs < m_tokenFileRefreshMs;
    return true;
}

QString KubeCredentials::readTokenFile() {
    QFile f(m_config.tokenFile);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read token file %1: %2")
            .arg(m_config.tokenFile, f.errorString());
    m_token = f.read(64 * 1024).trimmed();
    m_tokenReadAtMs = m_clock->monotonicMs();
    if (m_token.isEmpty())
        return QStringLiteral("token file %1 is empty").arg(m_config.tokenFile);
    return {};
}

void KubeCredentials::withCurrent(QObject *context, std::function<void(const QString &)> then) {
    if (isCurrent()) {
        then({});
        return;
    }
    if (!m_exec) { // a token file: reading it is quick and local
        then(readTokenFile());
        return;
    }
    m_waiters.append({context, std::move(then)});
    m_exec->run();
}

QByteArray KubeCredentials::authorization() const {
    // RFC 6750 §2.1: the bearer token goes in the Authorization header, never in the URL.
    return m_token.isEmpty() ? QByteArray() : QByteArray("Bearer ") + m_token;
}

bool KubeCredentials::invalidate() {
    if (m_exec) {
        m_execValid = false;
        return true;
    }
    if (!m_config.tokenFile.isEmpty() && m_config.token.isEmpty()) {
        m_tokenReadAtMs = -1;
        return true;
    }
    return false;
}

void KubeCredentials::onExecFinished(const ExecCredential &credential) {
    m_token = credential.token.toUtf8();
    m_execValid = true;
    m_execExpiresAtMs = std::numeric_limits<qint64>::max();
    if (credential.expiration.isValid()) {
        const qint64 left = m_clock->now().msecsTo(credential.expiration);
        m_execExpiresAtMs = m_clock->monotonicMs() + left;
    }
    QString error;
    if (!credential.clientCertificatePem.isEmpty()) {
        auto id = KubeTls::parseIdentity(credential.clientCertificatePem, credential.clientKeyPem);
        if (id) {
            m_identity = id.value();
            ++m_identityGeneration;
        } else {
            error = QStringLiteral("exec plugin: ") + id.error();
            m_execValid = false;
        }
    }
    qCInfo(lcKube) << "exec credential plugin gave a credential"
                   << (credential.expiration.isValid() ? "with an expiry" : "without expiry");
    flush(error);
}

void KubeCredentials::onExecFailed(const QString &error) {
    qCWarning(lcKube).noquote() << error;
    m_execValid = false;
    flush(error);
}

void KubeCredentials::flush(const QString &error) {
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &w : waiters)
        if (w.context)
            w.then(error);
}

} // namespace pw::kube
