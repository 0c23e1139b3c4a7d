#include "kubepod.h"

#include <QHash>
#include <QJsonArray>

namespace pw::kube {

namespace {

QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

void readStatus(KubeContainer &c, const QJsonObject &status)
{
    c.ready = status.value(QLatin1String("ready")).toBool();
    c.restarts = status.value(QLatin1String("restartCount")).toInt();
    const QJsonObject state = status.value(QLatin1String("state")).toObject();
    static const struct
    {
        const char *key;
        KubeContainer::State state;
    } kStates[] = {{"running", KubeContainer::State::Running},
                   {"terminated", KubeContainer::State::Terminated},
                   {"waiting", KubeContainer::State::Waiting}};
    for (const auto &s : kStates) {
        if (!state.contains(QLatin1String(s.key)))
            continue;
        const QJsonObject detail = state.value(QLatin1String(s.key)).toObject();
        c.reported = true;
        c.state = s.state;
        c.reason = text(detail, "reason");
        c.message = text(detail, "message");
        c.startedAt = text(detail, "startedAt");
        c.finishedAt = text(detail, "finishedAt");
        if (s.state == KubeContainer::State::Terminated)
            c.exitCode = detail.value(QLatin1String("exitCode")).toInt(-1);
        return;
    }
}

} // namespace

QString KubeContainer::stateName() const
{
    switch (state) {
    case State::Running:
        return QStringLiteral("running");
    case State::Terminated:
        return QStringLiteral("terminated");
    case State::Waiting:
        break;
    }
    return QStringLiteral("waiting");
}

KubePod::KubePod(const QJsonObject &object)
    : m_object(object)
{
    const QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    m_name = text(meta, "name");
    m_namespace = text(meta, "namespace");
    m_job = ownerJob(meta);
    m_created = text(meta, "creationTimestamp");
    m_hasLabels = meta.contains(QLatin1String("labels"));
    m_labels = meta.value(QLatin1String("labels")).toObject();
    const QJsonObject spec = object.value(QLatin1String("spec")).toObject();
    const QJsonObject status = object.value(QLatin1String("status")).toObject();
    m_phase = text(status, "phase");
    m_node = text(spec, "nodeName");
    m_started = text(status, "startTime");
    for (const bool init : {true, false}) {
        QHash<QString, QJsonObject> statuses;
        for (const QJsonValue &s :
             status.value(QLatin1String(init ? "initContainerStatuses" : "containerStatuses")).toArray())
            statuses.insert(s[QLatin1String("name")].toString(), s.toObject());
        for (const QJsonValue &s :
             spec.value(QLatin1String(init ? "initContainers" : "containers")).toArray()) {
            KubeContainer c;
            c.name = s[QLatin1String("name")].toString();
            c.image = s[QLatin1String("image")].toString();
            c.init = init;
            readStatus(c, statuses.take(c.name));
            m_containers.append(c);
        }
        // A status for a container the spec does not list (a partial object) still counts.
        for (const QJsonValue &s :
             status.value(QLatin1String(init ? "initContainerStatuses" : "containerStatuses")).toArray()) {
            const QString name = s[QLatin1String("name")].toString();
            if (!statuses.contains(name))
                continue;
            KubeContainer c;
            c.name = name;
            c.image = s[QLatin1String("image")].toString();
            c.init = init;
            readStatus(c, statuses.take(name));
            m_containers.append(c);
        }
    }
}

QString KubePod::ownerJob(const QJsonObject &metadata)
{
    for (const QJsonValue &ref : metadata.value(QLatin1String("ownerReferences")).toArray())
        if (ref[QLatin1String("kind")].toString() == QLatin1String("Job"))
            return ref[QLatin1String("name")].toString();
    const QJsonObject labels = metadata.value(QLatin1String("labels")).toObject();
    const QString job = labels.value(QLatin1String("batch.kubernetes.io/job-name")).toString();
    return job.isEmpty() ? labels.value(QLatin1String("job-name")).toString() : job;
}

QStringList KubePod::containerNames(bool init) const
{
    QStringList names;
    for (const KubeContainer &c : m_containers)
        if (c.init == init)
            names.append(c.name);
    return names;
}

const KubeContainer *KubePod::container(const QString &name) const
{
    for (const KubeContainer &c : m_containers)
        if (c.name == name)
            return &c;
    return nullptr;
}

QStringList KubePod::images() const
{
    QStringList images;
    for (const KubeContainer &c : m_containers)
        images.append(c.image);
    return images;
}

int KubePod::restarts() const
{
    int n = 0;
    for (const KubeContainer &c : m_containers)
        n += c.restarts;
    return n;
}

bool KubePod::hasFinished() const
{
    return m_phase == QLatin1String("Succeeded") || m_phase == QLatin1String("Failed");
}

} // namespace pw::kube
