// KubeSim, the kubeconfig that points kubectl or our client at this server.
#include "kubesim.h"

#include <QFile>
#include <QSaveFile>

QByteArray KubeSim::kubeconfig() const {
    QByteArray out;
    out += "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n";
    out += "    server: " + url().toString().toUtf8() + "\n";
    if (m_config.tls)
        out += "    certificate-authority-data: " + caCertificatePem().toBase64() + "\n";
    out += "  name: kubesim\ncontexts:\n- context:\n    cluster: kubesim\n";
    out += "    namespace: " + m_config.defaultNamespace.toUtf8() + "\n";
    out += "    user: kubesim-user\n  name: kubesim\ncurrent-context: kubesim\npreferences: {}\n";
    out += "users:\n- name: kubesim-user\n  user:";
    QByteArray user;
    if (!m_config.token.isEmpty())
        user += "\n    token: " + m_config.token.toUtf8();
    if (!clientCertificatePem().isEmpty()) {
        user += "\n    client-certificate-data: " + clientCertificatePem().toBase64();
        user += "\n    client-key-data: " + clientKeyPem().toBase64();
    }
    out += user.isEmpty() ? QByteArray(" {}\n") : user + "\n";
    return out;
}

bool KubeSim::writeKubeconfig(const QString &path, QString *error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // It holds credentials: readable by the owner only.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(kubeconfig());
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
