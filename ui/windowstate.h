#pragma once

#include <QSettings>
#include <QString>

#include <memory>

namespace pw::ui {

// Where the window keeps its own state (geometry, splitters, tab, last log selection,
// notification switches, connection history): `$XDG_STATE_HOME/pullwatch/window.ini`, else
// `~/.local/state/pullwatch/window.ini`. The user's config file (`pullwatch.conf`) is never
// written by the program: configuration is the user's, state is the program's.
namespace WindowState {
// The state file's path (in Qt's test mode under ~/.qttest, as QStandardPaths does).
QString filePath();
// A QSettings on that file; the directory is created on first write.
std::unique_ptr<QSettings> open();
} // namespace WindowState

} // namespace pw::ui
