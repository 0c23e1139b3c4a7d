#include "podmodel.h"

#include "kubejson.h"

#include <QJsonArray>

namespace pw::kubesim {

QJsonObject ContainerModel::renderStatus() const {
    QJsonObject state;
    switch (this->state) {
    case State::Waiting: {
        QJsonObject w{{QStringLiteral("reason"), reason}};
        if (!message.isEmpty())
            w.insert(QStringLiteral("message"), message);
        state.insert(QStringLiteral("waiting"), w);
        break;
    }
    case State::Running:
        state.insert(QStringLiteral("running"),
                     QJsonObject{{QStringLiteral("startedAt"), startedAt}});
        break;
    case State::Terminated: {
        QJsonObject t{{QStringLiteral("exitCode"), exitCode},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("startedAt"), startedAt},
                      {QStringLiteral("finishedAt"), finishedAt},
                      {QStringLiteral("containerID"), containerId}};
        if (!message.isEmpty())
            t.insert(QStringLiteral("message"), message);
        state.insert(QStringLiteral("terminated"), t);
        break;
    }
    }
    QJsonObject last;
    if (hasLastState)
        last.insert(QStringLiteral("terminated"),
                    QJsonObject{{QStringLiteral("exitCode"), lastExitCode},
                                {QStringLiteral("reason"), lastReason},
                                {QStringLiteral("startedAt"), lastStartedAt},
                                {QStringLiteral("finishedAt"), lastFinishedAt},
                                {QStringLiteral("containerID"), lastContainerId}});
    QJsonObject s{
        {QStringLiteral("name"), name},
        {QStringLiteral("state"), state},
        {QStringLiteral("lastState"), last},
        {QStringLiteral("ready"), this->state == State::Running && !init},
        {QStringLiteral("restartCount"), restartCount},
        {QStringLiteral("image"), image},
        {QStringLiteral("imageID"),
         pulled
             ? image +
                   QStringLiteral(
                       "@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac")
             : QString()},
        {QStringLiteral("started"), this->state == State::Running}};
    if (!containerId.isEmpty())
        s.insert(QStringLiteral("containerID"), containerId);
    return s;
}

ContainerModel *PodModel::container(const QString &name) {
    for (ContainerModel &c : containers)
        if (c.name == name)
            return &c;
    return nullptr;
}

bool PodModel::initDone() const {
    for (const ContainerModel &c : containers)
        if (c.init && !(c.state == ContainerModel::State::Terminated && c.exitCode == 0))
            return false;
    return true;
}

void PodModel::setUpContainers() {
    containers.clear();
    const bool hasInit = !spec.value(QStringLiteral("initContainers")).toArray().isEmpty();
    for (const char *key : {"initContainers", "containers"}) {
        for (const QJsonValue &v : spec.value(QLatin1String(key)).toArray()) {
            ContainerModel c;
            c.name = v.toObject().value(QStringLiteral("name")).toString();
            c.image = v.toObject().value(QStringLiteral("image")).toString();
            c.init = qstrcmp(key, "initContainers") == 0;
            c.reason =
                hasInit ? QStringLiteral("PodInitializing") : QStringLiteral("ContainerCreating");
            containers << c;
        }
    }
}

QJsonObject PodModel::render() const {
    QJsonArray initStatuses, statuses;
    bool allReady = true;
    for (const ContainerModel &c : containers) {
        (c.init ? initStatuses : statuses).append(c.renderStatus());
        if (!c.init && c.state != ContainerModel::State::Running)
            allReady = false;
    }
    auto condition = [](const QString &type, bool ok, const QString &at,
                        const QString &reason = {}) {
        QJsonObject c{
            {QStringLiteral("type"), type},
            {QStringLiteral("status"), ok ? QStringLiteral("True") : QStringLiteral("False")},
            {QStringLiteral("lastProbeTime"), QJsonValue::Null},
            {QStringLiteral("lastTransitionTime"), at}};
        if (!ok && !reason.isEmpty())
            c.insert(QStringLiteral("reason"), reason);
        return c;
    };
    QJsonArray conditions;
    if (scheduledAt.isEmpty() && !unschedulableMessage.isEmpty()) {
        QJsonObject c = condition(QStringLiteral("PodScheduled"), false, startTime,
                                  QStringLiteral("Unschedulable"));
        c.insert(QStringLiteral("message"), unschedulableMessage);
        conditions.append(c);
    }
    if (!scheduledAt.isEmpty()) {
        const bool finished =
            phase == QStringLiteral("Succeeded") || phase == QStringLiteral("Failed");
        const bool init = initDone();
        conditions.append(
            condition(QStringLiteral("PodReadyToStartContainers"), true, scheduledAt));
        conditions.append(condition(QStringLiteral("Initialized"), init,
                                    initializedAt.isEmpty() ? scheduledAt : initializedAt,
                                    QStringLiteral("ContainersNotInitialized")));
        const bool ready = allReady && !finished;
        const QString why =
            finished ? QStringLiteral("PodCompleted") : QStringLiteral("ContainersNotReady");
        conditions.append(condition(QStringLiteral("Ready"), ready,
                                    readyAt.isEmpty() ? scheduledAt : readyAt, why));
        conditions.append(condition(QStringLiteral("ContainersReady"), ready,
                                    readyAt.isEmpty() ? scheduledAt : readyAt, why));
        conditions.append(condition(QStringLiteral("PodScheduled"), true, scheduledAt));
    }
    QJsonObject status{{QStringLiteral("phase"), phase},
                       {QStringLiteral("conditions"), conditions},
                       {QStringLiteral("qosClass"), QStringLiteral("BestEffort")}};
    if (!scheduledAt.isEmpty()) {
        status.insert(QStringLiteral("hostIP"), hostIp);
        status.insert(QStringLiteral("hostIPs"),
                      QJsonArray{QJsonObject{{QStringLiteral("ip"), hostIp}}});
        status.insert(QStringLiteral("podIP"), podIp);
        status.insert(QStringLiteral("podIPs"),
                      QJsonArray{QJsonObject{{QStringLiteral("ip"), podIp}}});
        status.insert(QStringLiteral("startTime"), startTime);
        if (!initStatuses.isEmpty())
            status.insert(QStringLiteral("initContainerStatuses"), initStatuses);
        status.insert(QStringLiteral("containerStatuses"), statuses);
    }
    return {{QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), metadata},
            {QStringLiteral("spec"), spec},
            {QStringLiteral("status"), status}};
}

void ContainerModel::keepLastState() {
    hasLastState = true;
    lastExitCode = exitCode;
    lastReason = reason;
    lastStartedAt = startedAt;
    lastFinishedAt = finishedAt;
    lastContainerId = containerId;
    ++restartCount;
}

} // namespace pw::kubesim
