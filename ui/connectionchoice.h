#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace pw::ui {

// Which backend the window should use: a kubeconfig context, the demo cluster, or a remote
// Pullwatch. Applied by starting pullwatch again with `arguments()`; a remote token never
// goes on the command line (it travels in the keychain or the environment).
struct ConnectionChoice {
    enum class Kind { Kubeconfig, Demo, Remote };
    Kind kind = Kind::Demo;
    QString kubeconfig;
    QString context;
    QUrl url;
    QString token; // Remote only; never logged, never in arguments()
    bool rememberToken = true;

    QStringList arguments() const;
    // For the recent list in the window state: "demo", "kubeconfig:<file>#<context>", "<url>".
    QString key() const;
    static ConnectionChoice fromKey(const QString &key);
    QString describe() const;
};

// The connection history, newest first (at most 10), in the window state (WindowState).
namespace ConnectionHistory {
QList<ConnectionChoice> recent();
void remember(const ConnectionChoice &choice);
} // namespace ConnectionHistory

} // namespace pw::ui
