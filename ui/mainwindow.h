#pragma once

#include <QMainWindow>
#include <QTimer>
#include <QUrl>

#include <functional>

class ActivePullsModel;
class ActivePullsView;
class ApiClient;
class ConnectionBanner;
class DashboardView;
class FailedPullsModel;
class FailedPullsView;
class LogView;
class PullDialog;
class QAction;
class QKeySequence;
class QMenu;
class QTabWidget;
class StatusIndicators;
class TrayNotifier;

// The desktop window: a client of the Pullwatch API like any browser (docs/architecture.md §1).
// Tabs for active pulls, failed pulls, logs and a dashboard; status bar, banner, tray.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { ActiveTab, FailedTab, LogsTab, DashboardTab };
    explicit MainWindow(const QUrl &backend, const QString &token = QString(),
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    ApiClient *client() const { return m_client; }
    ActivePullsModel *activeModel() const { return m_activeModel; }
    FailedPullsModel *failedModel() const { return m_failedModel; }
    ActivePullsView *activeView() const { return m_activeView; }
    FailedPullsView *failedView() const { return m_failedView; }
    LogView *logView() const { return m_logView; }
    DashboardView *dashboard() const { return m_dashboard; }
    TrayNotifier *notifier() const { return m_notifier; }
    ConnectionBanner *banner() const { return m_banner; }
    StatusIndicators *indicators() const { return m_indicators; }
    QTabWidget *tabs() const { return m_tabs; }
    void showTab(Tab tab);
    // Opens the (non-modal) "Pull images" dialog; its accepted references are started.
    PullDialog *openPullDialog();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildTabs();
    void buildMenus();
    void buildFileMenu();
    void buildViewMenu();
    void buildPullsMenu();
    void buildLogsMenu();
    void buildSettingsMenu();
    QAction *addShortcut(QMenu *menu, const QString &text, const QKeySequence &keys,
                         std::function<void()> slot);
    void connectClient();
    void connectPullLists();
    void connectMessages();
    void connectViews();
    void tick();
    void restoreSettings();
    void saveSettings() const;

    ApiClient *m_client;
    ActivePullsModel *m_activeModel;
    FailedPullsModel *m_failedModel;
    QTabWidget *m_tabs = nullptr;
    ActivePullsView *m_activeView = nullptr;
    FailedPullsView *m_failedView = nullptr;
    LogView *m_logView = nullptr;
    DashboardView *m_dashboard = nullptr;
    TrayNotifier *m_notifier = nullptr;
    ConnectionBanner *m_banner = nullptr;
    StatusIndicators *m_indicators = nullptr;
    QTimer m_tick;
    QList<QAction *> m_operatorActions; // pull, cancel, retry: disabled for a viewer
};
