#include "traynotifier.h"

#include "pullformat.h"
#include "windowstate.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>

namespace pw::ui {

TrayNotifier::TrayNotifier(QObject *parent)
    : QObject(parent) {
    const auto settings = WindowState::open();
    m_completed = settings->value(QStringLiteral("notifications/completed"), true).toBool();
    m_failed = settings->value(QStringLiteral("notifications/failed"), true).toBool();
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray =
            new QSystemTrayIcon(QApplication::style()->standardIcon(QStyle::SP_ArrowDown), this);
        m_tray->setToolTip(tr("Pullwatch"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::activated, this, &TrayNotifier::activated);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::activated);
    }
}

void TrayNotifier::setNotifyCompleted(bool on) {
    m_completed = on;
    WindowState::open()->setValue(QStringLiteral("notifications/completed"), on);
}

void TrayNotifier::setNotifyFailed(bool on) {
    m_failed = on;
    WindowState::open()->setValue(QStringLiteral("notifications/failed"), on);
}

bool TrayNotifier::notify(const core::PullJob &pull) {
    const bool failed = pull.status == core::PullStatus::Failed;
    if (!pull.isTerminal() || (failed ? !m_failed : !m_completed))
        return false;
    const QString title = failed ? tr("Pull failed: %1").arg(pull.imageReference())
                                 : tr("Pull completed: %1").arg(pull.imageReference());
    const QString body =
        failed ? QStringLiteral("%1 — %2").arg(PullFormat::reason(pull.reason), pull.message)
               : tr("Copied to %1").arg(pull.target.isEmpty() ? tr("Harbor") : pull.target);
    m_last = title;
    if (m_tray)
        m_tray->showMessage(title, body,
                            failed ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 8000);
    return true;
}

} // namespace pw::ui
