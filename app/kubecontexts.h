#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace pw::app {

// The contexts a kubeconfig file offers, for the connection dialog.
namespace KubeContexts {
// Sorted context names and the file's current-context; an error names the file and field.
QStringList list(const QString &file, QString *current, QString *error);
// The file kubectl would read: the first of $KUBECONFIG, else ~/.kube/config (it may not
// exist).
QString defaultFile(const QProcessEnvironment &environment, const QString &homeDir);
} // namespace KubeContexts

} // namespace pw::app
