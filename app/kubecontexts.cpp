#include "kubecontexts.h"

#include "kube/kubeconfigyaml.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace pw::app {

namespace KubeContexts {

QStringList list(const QString &file, QString *current, QString *error) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(file, f.errorString());
        return {};
    }
    const auto doc = kube::KubeConfigYaml::parse(f.read(4 << 20),
                                                 QFileInfo(file).absoluteFilePath());
    if (!doc.ok()) {
        *error = doc.error();
        return {};
    }
    *current = doc.value().currentContext;
    return doc.value().contexts.keys(); // QMap: sorted
}

QString defaultFile(const QProcessEnvironment &environment, const QString &homeDir) {
    const QString fromEnv = environment.value(QStringLiteral("KUBECONFIG"));
    for (const QString &part : fromEnv.split(u':', Qt::SkipEmptyParts))
        if (QFile::exists(part))
            return part;
    return QDir(homeDir).filePath(QStringLiteral(".kube/config"));
}

} // namespace KubeContexts

} // namespace pw::app
