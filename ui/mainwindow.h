#pragma once

#include "core/pulljob.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QAction;
class QDialog;
class QInputDialog;
class QKeySequence;
class QMenu;
class QTabWidget;

namespace pw::ui {

class ActivePullsModel;
class ActivePullsView;
class ApiClient;
class ConnectionBanner;
class DashboardView;
class FailedPullsModel;
class FailedPullsView;
class HistoryModel;
class HistoryView;
class LogView;
class LogsPage;
class PullActions;
class PullDialog;
class StatusIndicators;
class TrayNotifier;

// The desktop window: a client of the Pullwatch API like any browser (docs/architecture.md §1).
// Tabs for active pulls, failed pulls, logs and a dashboard; status bar, banner, tray.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { ActiveTab, FailedTab, HistoryTab, LogsTab, DashboardTab };
    explicit MainWindow(const QUrl &backend, const QString &token = QString(),
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    ApiClient *client() const { return m_client; }
    ActivePullsModel *activeModel() const { return m_activeModel; }
    FailedPullsModel *failedModel() const { return m_failedModel; }
    ActivePullsView *activeView() const { return m_activeView; }
    FailedPullsView *failedView() const { return m_failedView; }
    HistoryModel *historyModel() const { return m_historyModel; }
    HistoryView *historyView() const { return m_historyView; }
    LogsPage *logsPage() const { return m_logsPage; }
    LogView *logView() const; // the current log tab; nullptr when none is open
    DashboardView *dashboard() const { return m_dashboard; }
    TrayNotifier *notifier() const { return m_notifier; }
    PullActions *pullActions() const { return m_pullActions; }
    // Opens the pull's Job in a tab of the Logs tab, every container merged (container=*).
    void viewLogs(const core::PullJob &pull);
    ConnectionBanner *banner() const { return m_banner; }
    StatusIndicators *indicators() const { return m_indicators; }
    QTabWidget *tabs() const { return m_tabs; }
    void showTab(Tab tab);
    // Opens the (non-modal) "Pull images" dialog; its accepted references are started.
    PullDialog *openPullDialog();
    // Asks for the API token (non-modal; one at a time); an accepted token is used at once.
    QInputDialog *askForToken();
    // On a first start that found no cluster, ask where to connect (once) instead of only
    // showing the banner.
    void setOfferConnection(bool offer) { m_offerConnection = offer; }
    // Help menu: every shortcut of the menus (keys, action), the About text, the docs page.
    QList<QPair<QString, QString>> shortcuts() const;
    QDialog *showShortcuts();
    QString aboutText() const;
    QUrl helpUrl() const;

Q_SIGNALS:
    // The user chose a new token (for the keychain) or asked to change the connection.
    void tokenEntered(const QString &token);
    void connectionRequested();

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
    void buildHelpMenu();
    QAction *addShortcut(QMenu *menu, const QString &text, const QKeySequence &keys,
                         std::function<void()> slot);
    void connectClient();
    void connectPullLists();
    void connectMessages();
    void connectViews();
    void tick();
    void updateProblem();
    void updateTabTitle(Tab tab, int rows);
    void restoreSettings();
    void saveSettings() const;

    ApiClient *m_client;
    ActivePullsModel *m_activeModel;
    FailedPullsModel *m_failedModel;
    QTabWidget *m_tabs = nullptr;
    ActivePullsView *m_activeView = nullptr;
    FailedPullsView *m_failedView = nullptr;
    HistoryModel *m_historyModel;
    HistoryView *m_historyView = nullptr;
    LogsPage *m_logsPage = nullptr;
    DashboardView *m_dashboard = nullptr;
    TrayNotifier *m_notifier = nullptr;
    PullActions *m_pullActions = nullptr;
    ConnectionBanner *m_banner = nullptr;
    StatusIndicators *m_indicators = nullptr;
    QTimer m_tick;
    QPointer<QInputDialog> m_tokenDialog;
    QString m_clusterState; // from /metrics: "connected", …; empty when none is configured
    bool m_clusterKnown = false;
    bool m_offerConnection = false;
    QList<QAction *> m_operatorActions; // pull, cancel, retry: disabled for a viewer
};

} // namespace pw::ui
