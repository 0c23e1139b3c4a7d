#include "windowstate.h"

#include <QDir>
#include <QStandardPaths>

namespace pw::ui {

namespace WindowState {

QString filePath() {
    // QStandardPaths::GenericStateLocation arrives in Qt 6.7; until then the XDG rule by hand.
    QString base;
    if (QStandardPaths::isTestModeEnabled())
        base = QDir::homePath() + QStringLiteral("/.qttest/state");
    else if (const QString xdg = qEnvironmentVariable("XDG_STATE_HOME");
             !xdg.isEmpty() && QDir::isAbsolutePath(xdg))
        base = xdg;
    else
        base = QDir::homePath() + QStringLiteral("/.local/state");
    return base + QStringLiteral("/pullwatch/window.ini");
}

std::unique_ptr<QSettings> open() {
    return std::make_unique<QSettings>(filePath(), QSettings::IniFormat);
}

} // namespace WindowState

} // namespace pw::ui
