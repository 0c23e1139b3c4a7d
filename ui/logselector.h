#pragma once

#include "logstream.h"
#include "podinfo.h"

#include <QWidget>

class ApiClient;
class NameListModel;
class QComboBox;
class QPushButton;

// Namespace → pod or job → container, each list from the API (GET /namespaces, /pods);
// remembers the last choice (WindowState) and picks it again when it is offered.
class LogSelector : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Pod, Job };
    LogSelector(ApiClient *client, QWidget *parent = nullptr);

    LogTarget currentTarget() const;
    // Chooses a target programmatically (lists are fetched; the choice is applied when they come).
    void select(const LogTarget &target);
    void refresh();
    NameListModel *namespaces() const { return m_namespaces; }
    NameListModel *names() const { return m_names; }
    NameListModel *containers() const { return m_containers; }

Q_SIGNALS:
    void followRequested(const LogTarget &target);
    void stopRequested();

private:
    void onNamespaces(const QStringList &names);
    void onPods(const QString &ns, const QString &job, const QList<PodInfo> &pods);
    void onNamespaceChosen();
    void fillNames();
    void fillContainers();
    void follow();
    static void choose(QComboBox *box, NameListModel *model, const QString &name);

    ApiClient *m_client;
    QList<PodInfo> m_pods;
    NameListModel *m_namespaces;
    NameListModel *m_names;
    NameListModel *m_containers;
    QComboBox *m_namespaceBox;
    QComboBox *m_modeBox;
    QComboBox *m_nameBox;
    QComboBox *m_containerBox;
    QPushButton *m_followButton;
    QPushButton *m_stopButton;
    LogTarget m_wanted; // the remembered or requested choice, applied as lists arrive
};
