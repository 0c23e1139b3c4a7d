#pragma once

#include "logstream.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QTabWidget;

namespace pw::ui {

class ApiClient;
class LogSelector;
class LogView;

// The Logs tab: the selector above, one tab per followed target below (pod/container, pod or
// Job with every container, label selector). Following a target opens its tab and follows it
// at once; following it again switches to its open tab. Each tab is a LogView with its own
// stream, buffer, scroll position, filter and markers; closing a tab stops its stream. A tab
// that is not current counts its unread lines in its title.
class LogsPage : public QWidget {
    Q_OBJECT
public:
    LogsPage(ApiClient *client, QWidget *parent = nullptr);

    LogSelector *selector() const { return m_selector; }
    QTabWidget *tabs() const { return m_tabs; }
    int count() const;
    LogView *viewAt(int index) const;
    LogView *current() const; // nullptr when no tab is open
    LogView *find(const LogTarget &target) const;
    // Follows `target` in its own tab (a new one, or the open one's) and makes it current.
    LogView *open(const LogTarget &target);
    // Stops that tab's stream and removes the tab.
    void closeTab(int index);
    qint64 unreadAt(int index) const;
    // The tab's title without its unread count.
    static QString titleFor(const LogTarget &target);

    void setCapacity(int lines);
    // Lines received by every tab since the last call (the dashboard's lines/s).
    qint64 takeReceivedCount();

private:
    void onLinesAppended(LogView *view, qint64 lines);
    void updateTitle(LogView *view);
    void onCurrentChanged();

    ApiClient *m_client;
    LogSelector *m_selector;
    QTabWidget *m_tabs;
    QLabel *m_hint; // while no tab is open
    QHash<LogView *, qint64> m_unread;
    qint64 m_closedReceived = 0; // received by tabs closed since the last take
    int m_capacity = 100'000;
};

} // namespace pw::ui
