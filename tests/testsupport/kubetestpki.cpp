#include "kubetestpki.h"

#include <QFile>
#include <QProcess>
#include <QSslKey>

bool KubeTestPki::openssl(const QStringList &args) {
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30'000) || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2")
                      .arg(args.join(u' '), QString::fromUtf8(p.readAllStandardError()));
        return false;
    }
    return true;
}

QByteArray KubeTestPki::read(const QString &name) const {
    QFile f(path(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool KubeTestPki::clientCert(const QString &name, const QStringList &keyArgs) {
    const QString key = name + QStringLiteral(".key");
    return openssl(QStringList{keyArgs.first(), QStringLiteral("-out"), key} +
                   keyArgs.mid(1)) // genrsa wants its bit count last
           && openssl({"req", "-new", "-key", key, "-subj", "/CN=" + name + "/O=system:masters",
                       "-out", name + ".csr"}) &&
           openssl({"x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-out", name + ".crt"});
}

bool KubeTestPki::create() {
    if (!m_dir.isValid())
        return false;
    QFile ext(path(QStringLiteral("server.ext")));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write("subjectAltName=IP:127.0.0.1,DNS:kube.test\nextendedKeyUsage=serverAuth\n");
    ext.close();
    return openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
                    "ca.crt", "-days", "2", "-subj", "/CN=pullwatch-test-ca"}) &&
           openssl({"genrsa", "-traditional", "-out", "server.key", "2048"}) &&
           openssl({"req", "-new", "-key", "server.key", "-subj", "/CN=kube.test", "-out",
                    "server.csr"}) &&
           openssl({"x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out",
                    "server.crt"}) &&
           clientCert(QStringLiteral("client-rsa"), {"genrsa", "-traditional", "2048"}) &&
           clientCert(QStringLiteral("client-ec"),
                      {"ecparam", "-genkey", "-name", "prime256v1", "-noout"}) &&
           clientCert(QStringLiteral("client-pk8"),
                      {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}) &&
           clientCert(QStringLiteral("client-pk8ec"),
                      {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"});
}

QSslConfiguration KubeTestPki::serverConfiguration(bool requireClientCert) const {
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(read(QStringLiteral("server.crt"))));
    tls.setPrivateKey(QSslKey(read(QStringLiteral("server.key")), QSsl::Rsa));
    tls.setCaCertificates(QSslCertificate::fromData(read(QStringLiteral("ca.crt"))));
    tls.setPeerVerifyMode(requireClientCert ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    return tls;
}
