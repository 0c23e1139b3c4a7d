#pragma once

#include "core/pulljob.h"

#include <QObject>

class QSystemTrayIcon;

namespace pw::ui {

// A system-tray notification when a pull completes or fails, where a tray exists; each kind
// can be turned off (window state "notifications/completed", "notifications/failed", WindowState).
class TrayNotifier : public QObject {
    Q_OBJECT
public:
    explicit TrayNotifier(QObject *parent = nullptr);

    bool trayAvailable() const { return m_tray != nullptr; }
    bool notifyCompleted() const { return m_completed; }
    bool notifyFailed() const { return m_failed; }
    void setNotifyCompleted(bool on);
    void setNotifyFailed(bool on);
    // Shows the message for a finished pull, if that kind is on; returns whether it would.
    bool notify(const core::PullJob &pull);
    QString lastMessage() const { return m_last; }

Q_SIGNALS:
    void activated(); // the tray icon or a message was clicked

private:
    QSystemTrayIcon *m_tray = nullptr;
    bool m_completed = true;
    bool m_failed = true;
    QString m_last;
};

} // namespace pw::ui
