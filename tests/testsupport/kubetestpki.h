#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>
#include <QTemporaryDir>

// A throw-away PKI made with the openssl command: a CA, a server certificate for
// 127.0.0.1 / kube.test, and client certificates with RSA PKCS#1, EC SEC1 and PKCS#8 keys.
class KubeTestPki {
public:
    bool create();
    QString error() const { return m_error; }
    QString dir() const { return m_dir.path(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QByteArray read(const QString &name) const;

    // Server TLS; with `requireClientCert` the handshake needs a certificate from the CA.
    QSslConfiguration serverConfiguration(bool requireClientCert) const;

    // File names: ca.crt, server.crt/key, client-rsa.crt/key (PKCS#1), client-ec.crt/key
    // (SEC1), client-pk8.crt/key (PKCS#8 RSA), client-pk8ec.crt/key (PKCS#8 EC).

private:
    bool openssl(const QStringList &args);
    bool clientCert(const QString &name, const QStringList &keyArgs);

    QTemporaryDir m_dir;
    QString m_error;
};
