#pragma once

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pw::kubesim {

// Certificates for a TLS kubesim, made at start by the `openssl` command (EC P-256, valid
// two days, in a private temporary directory removed with this object): a CA, a server
// certificate for 127.0.0.1, ::1 and localhost signed by it, and on request a client
// certificate (CN=kubesim-admin, O=system:masters) signed by the same CA.
class TlsMaterial {
public:
    bool generate(bool withClientCertificate, QString *error);

    QByteArray caPem;
    QByteArray serverCertPem;
    QByteArray serverKeyPem;
    QByteArray clientCertPem; // empty unless asked for
    QByteArray clientKeyPem;
    QString caFile() const;

private:
    bool run(const QStringList &arguments, QString *error) const;
    bool issue(const QString &name, const QString &subject, const QString &extensions,
               QString *error) const;
    QByteArray read(const QString &name) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace pw::kubesim
