#include "kubetls.h"

namespace pw::kube {

namespace KubeTls {

core::Result<QSslKey> parseKey(const QByteArray &pem) {
    // Never put key material into an error message or a log (docs/architecture.md §6).
    QList<QSsl::KeyAlgorithm> candidates;
    if (pem.contains("BEGIN RSA PRIVATE KEY"))
        candidates = {QSsl::Rsa};
    else if (pem.contains("BEGIN EC PRIVATE KEY"))
        candidates = {QSsl::Ec};
    else if (pem.contains("BEGIN PRIVATE KEY"))
        candidates = {QSsl::Rsa, QSsl::Ec};
    else if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY"))
        return core::Result<QSslKey>::failure(QStringLiteral("encrypted private keys are not supported"));
    else
        return core::Result<QSslKey>::failure(
            QStringLiteral("no PEM private key found (expected RSA, EC or PKCS#8)"));
    for (QSsl::KeyAlgorithm algorithm : candidates) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return core::Result<QSslKey>::failure(QStringLiteral("the private key could not be parsed"));
}

core::Result<ClientIdentity> parseIdentity(const QByteArray &certPem, const QByteArray &keyPem) {
    ClientIdentity id;
    if (certPem.isEmpty() && keyPem.isEmpty())
        return id;
    id.chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (id.chain.isEmpty() || id.chain.first().isNull())
        return core::Result<ClientIdentity>::failure(
            QStringLiteral("the client certificate is not a PEM certificate"));
    auto key = parseKey(keyPem);
    if (!key)
        return core::Result<ClientIdentity>::failure(QStringLiteral("client key: ") + key.error());
    id.key = key.value();
    return id;
}

core::Result<QSslConfiguration> configuration(const KubeConfig &config,
                                              const ClientIdentity &identity) {
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (!config.caPem.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromData(config.caPem, QSsl::Pem);
        if (cas.isEmpty())
            return core::Result<QSslConfiguration>::failure(
                QStringLiteral("%1: the certificate authority is not a PEM certificate")
                    .arg(config.source));
        // The cluster's CA replaces the system store, as client-go does with a CA set.
        tls.setCaCertificates(cas);
    }
    // insecure-skip-tls-verify: the user asked for it explicitly in the kubeconfig.
    tls.setPeerVerifyMode(config.insecureSkipTlsVerify ? QSslSocket::VerifyNone
                                                       : QSslSocket::VerifyPeer);
    if (!identity.isNull()) {
        tls.setLocalCertificateChain(identity.chain);
        tls.setPrivateKey(identity.key);
    }
    return tls;
}

} // namespace KubeTls

} // namespace pw::kube
