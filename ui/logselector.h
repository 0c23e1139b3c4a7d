#pragma once

#include "logstream.h"
#include "podinfo.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QPushButton;

namespace pw::ui {

class ApiClient;
class CatalogFeed;
class NameListModel;

// Namespace → pod, job or label selector → container (or every container, merged), each list
// from the API (GET /namespaces, /pods, then /ws/catalog live), with since (all, 5 min, 1 h,
// 24 h, a date-time) and "previous container"; remembers the last choice (WindowState) and
// picks it again when it is offered. Follow opens the choice; "All containers" opens the pod
// or Job merged (container=*).
class LogSelector : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Pod, Job, Selector };
    enum Since { SinceAll, Since5Min, Since1Hour, Since24Hours, SinceTime };
    LogSelector(ApiClient *client, QWidget *parent = nullptr);

    LogTarget currentTarget() const;
    // Chooses a target programmatically (lists are fetched; the choice is applied when they come).
    void select(const LogTarget &target);
    void refresh();
    NameListModel *namespaces() const { return m_namespaces; }
    NameListModel *names() const { return m_names; }
    NameListModel *containers() const { return m_containers; }
    QComboBox *sinceBox() const { return m_sinceBox; }
    QDateTimeEdit *sinceTimeEdit() const { return m_sinceTime; }
    QCheckBox *previousBox() const { return m_previousBox; }
    // Follows the chosen pod or Job with every container merged (the "All containers" button).
    void followAllContainers();

Q_SIGNALS:
    void followRequested(const LogTarget &target);
    void stopRequested();

private:
    void onNamespaces(const QStringList &names);
    void onPods(const QString &ns, const QString &job, const QList<PodInfo> &pods);
    void onNamespaceChosen();
    void watchChosenNamespace();
    void fillNames();
    void fillContainers();
    void follow();
    void emitFollow(const LogTarget &target);
    void applyTimeOptions(LogTarget &target) const;
    void updateModeWidgets();
    static void choose(QComboBox *box, NameListModel *model, const QString &name);

    ApiClient *m_client;
    CatalogFeed *m_catalog; // the chosen namespace's pods, live
    QList<PodInfo> m_pods;
    NameListModel *m_namespaces;
    NameListModel *m_names;
    NameListModel *m_containers;
    QComboBox *m_namespaceBox;
    QComboBox *m_modeBox;
    QComboBox *m_nameBox;
    QComboBox *m_containerBox;
    QLineEdit *m_selectorEdit;
    QComboBox *m_sinceBox;
    QDateTimeEdit *m_sinceTime;
    QCheckBox *m_previousBox;
    QPushButton *m_followButton;
    QPushButton *m_followAllButton;
    QPushButton *m_stopButton;
    LogTarget m_wanted; // the remembered or requested choice, applied as lists arrive
};

} // namespace pw::ui
