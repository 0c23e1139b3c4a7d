#pragma once

#include "ui/connectionchoice.h"

#include <QProcessEnvironment>
#include <QStringList>

namespace pw::app {

// Applying a choice of the connection dialog: Pullwatch starts again with it once this
// process has stopped (so the new one can listen on the same address). What selected the old
// backend is dropped from the command line and the environment; every other option stays.
// A remote token goes through the child's environment (PULLWATCH_TOKEN), never its command
// line, and is kept in the keychain when the user asked for that.
namespace ConnectionSwitch {
// `arguments` as QCoreApplication::arguments() gives them (program first).
QStringList arguments(const QStringList &arguments, const ui::ConnectionChoice &choice);
QProcessEnvironment environment(const QProcessEnvironment &environment,
                                const ui::ConnectionChoice &choice);
// Starts `program` detached with the above; false (and why) when it cannot be started.
bool relaunch(const QString &program, const QStringList &arguments,
              const QProcessEnvironment &environment, QString *error, qint64 *pid = nullptr);
} // namespace ConnectionSwitch

} // namespace pw::app
