#pragma once

#include <QSslConfiguration>
#include <QString>

namespace pw::server {

// Proves that a certificate and private key belong together before the server listens
// (a bad certificate or key stops start-up, no silent fallback to HTTP). Qt has no
// way to compare a private key with a certificate's public key, so this performs one real
// TLS handshake with the configuration on an ephemeral loopback port: the TLS library
// refuses a key that does not match the certificate.
namespace TlsCheck {
bool verify(const QSslConfiguration &configuration, QString *error, int timeoutMs = 5000);
}

} // namespace pw::server
