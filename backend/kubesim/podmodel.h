#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace pw::kubesim {

// One container of a simulated pod and its state, as the kubelet reports it.
struct ContainerModel {
    enum class State { Waiting, Running, Terminated };
    QString name;
    QString image;
    bool init = false;
    State state = State::Waiting;
    QString reason = QStringLiteral("PodInitializing"); // waiting or terminated reason
    QString message;
    int exitCode = 0;
    QString startedAt;
    QString finishedAt;
    int restartCount = 0;
    bool hasLastState = false;
    int lastExitCode = 0;
    QString lastReason, lastStartedAt, lastFinishedAt, lastContainerId;
    QString containerId;
    bool pulled = false;

    QJsonObject renderStatus() const;
    // Before a restart: the run that ended becomes lastState, and restartCount grows.
    void keepLastState();
};

// A simulated pod: metadata and spec as created, status from the container models.
class PodModel {
public:
    QJsonObject metadata;
    QJsonObject spec;
    QString phase = QStringLiteral("Pending");
    QString podIp;
    QString hostIp;
    QString startTime;
    QString scheduledAt;
    QString initializedAt;
    QString readyAt;
    QString unschedulableMessage;     // the scheduler could not place the pod
    QList<ContainerModel> containers; // init containers first, in order

    QString name() const { return metadata.value(QStringLiteral("name")).toString(); }
    QString ns() const { return metadata.value(QStringLiteral("namespace")).toString(); }
    ContainerModel *container(const QString &name);
    bool initDone() const;
    QJsonObject render() const;
    // Fills containers from spec (initContainers then containers), all waiting.
    void setUpContainers();
};

} // namespace pw::kubesim
