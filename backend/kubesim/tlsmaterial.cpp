#include "tlsmaterial.h"

#include "kubesimlog.h"

#include <QFile>
#include <QProcess>

namespace pw::kubesim {

bool TlsMaterial::run(const QStringList &arguments, QString *error) const {
    QProcess p;
    p.setWorkingDirectory(m_dir->path());
    p.start(QStringLiteral("openssl"), arguments);
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("openssl %1 failed: %2 %3")
                     .arg(arguments.value(0), p.errorString(),
                          QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
        return false;
    }
    return true;
}

QByteArray TlsMaterial::read(const QString &name) const {
    QFile f(m_dir->filePath(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString TlsMaterial::caFile() const {
    return m_dir ? m_dir->filePath(QStringLiteral("ca.crt")) : QString();
}

bool TlsMaterial::issue(const QString &name, const QString &subject, const QString &extensions,
                        QString *error) const {
    QFile ext(m_dir->filePath(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly)) {
        *error = ext.errorString();
        return false;
    }
    ext.write(extensions.toUtf8());
    ext.close();
    return run({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-keyout"), name + QStringLiteral(".key"), QStringLiteral("-out"),
                name + QStringLiteral(".csr"), QStringLiteral("-subj"), subject},
               error) &&
           run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                name + QStringLiteral(".csr"), QStringLiteral("-CA"), QStringLiteral("ca.crt"),
                QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                QStringLiteral("-out"), name + QStringLiteral(".crt"), QStringLiteral("-extfile"),
                name + QStringLiteral(".ext")},
               error);
}

bool TlsMaterial::generate(bool withClientCertificate, QString *error) {
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        *error =
            QStringLiteral("cannot create a temporary directory: %1").arg(m_dir->errorString());
        return false;
    }
    const bool ok =
        run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
             QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
             QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
             QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
             QStringLiteral("ca.crt"), QStringLiteral("-days"), QStringLiteral("2"),
             QStringLiteral("-subj"), QStringLiteral("/CN=kubesim-ca"), QStringLiteral("-addext"),
             QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
             QStringLiteral("keyUsage=critical,keyCertSign,cRLSign,digitalSignature")},
            error) &&
        issue(
            QStringLiteral("server"), QStringLiteral("/CN=kubesim"),
            QStringLiteral(
                "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n"),
            error) &&
        (!withClientCertificate ||
         issue(QStringLiteral("client"), QStringLiteral("/O=system:masters/CN=kubesim-admin"),
               QStringLiteral(
                   "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=clientAuth\n"),
               error));
    if (!ok)
        return false;
    caPem = read(QStringLiteral("ca.crt"));
    serverCertPem = read(QStringLiteral("server.crt"));
    serverKeyPem = read(QStringLiteral("server.key"));
    if (withClientCertificate) {
        clientCertPem = read(QStringLiteral("client.crt"));
        clientKeyPem = read(QStringLiteral("client.key"));
    }
    qCDebug(lcKubeSim) << "generated TLS material in" << m_dir->path();
    return !caPem.isEmpty() && !serverCertPem.isEmpty() && !serverKeyPem.isEmpty();
}

} // namespace pw::kubesim
