#pragma once

#include "kubeconfig.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace pw::kube {

// TLS settings for talking to the API server.
namespace KubeTls {

struct ClientIdentity {
    QList<QSslCertificate> chain; // leaf first
    QSslKey key;
    bool isNull() const { return chain.isEmpty() || key.isNull(); }
};

// A private key from PEM: RSA PKCS#1 ("BEGIN RSA PRIVATE KEY"), EC SEC1 ("BEGIN EC PRIVATE
// KEY") or PKCS#8 ("BEGIN PRIVATE KEY", tried as RSA then EC). QSslKey needs the algorithm.
core::Result<QSslKey> parseKey(const QByteArray &pem);
core::Result<ClientIdentity> parseIdentity(const QByteArray &certPem, const QByteArray &keyPem);
// CA, verification mode and client identity (may be null) of `config`.
core::Result<QSslConfiguration> configuration(const KubeConfig &config,
                                              const ClientIdentity &identity);

} // namespace KubeTls

} // namespace pw::kube
