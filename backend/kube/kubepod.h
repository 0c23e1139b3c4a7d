#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace pw::kube {

// One container of a pod as spec and status tell it (the status may not be reported yet).
struct KubeContainer
{
    enum class State { Waiting, Running, Terminated };

    QString name;
    QString image;
    bool init = false;
    bool reported = false; // the kubelet has reported a state (running, terminated or waiting)
    State state = State::Waiting;
    QString reason;        // of the waiting or terminated state
    QString message;
    int exitCode = -1;     // terminated only
    bool ready = false;
    int restarts = 0;
    QString startedAt;     // RFC 3339 as the API gave it (running or terminated)
    QString finishedAt;    // terminated only

    // "running", "terminated" or "waiting".
    QString stateName() const;
};

// A read-only view of a Pod, parsed once where the object enters (a watch, a list): every
// layer reads pods through it, so each question (which Job owns it, what state a container is
// in) has one answer.
class KubePod
{
public:
    KubePod() = default;
    explicit KubePod(const QJsonObject &object);

    bool isNull() const { return m_name.isEmpty(); }
    const QJsonObject &object() const { return m_object; } // as the API sent it
    QString name() const { return m_name; }
    QString namespaceName() const { return m_namespace; }
    // The Job that owns the pod: the owner reference of kind Job, else the label
    // batch.kubernetes.io/job-name, else job-name; empty for a pod of no Job.
    QString jobName() const { return m_job; }
    QString phase() const { return m_phase; }
    QString nodeName() const { return m_node; }
    QString createdAt() const { return m_created; } // RFC 3339 as given (UTC sorts as text)
    QString startedAt() const { return m_started; }
    QJsonObject labels() const { return m_labels; }
    bool hasLabels() const { return m_hasLabels; }
    // Init containers then containers, in the order of the spec (then any the status reports
    // that the spec does not list).
    const QList<KubeContainer> &containers() const { return m_containers; }
    QStringList containerNames(bool init) const;
    // The container of that name, or null.
    const KubeContainer *container(const QString &name) const;
    // The images of the init containers then the containers.
    QStringList images() const;
    // The restarts of every container.
    int restarts() const;
    // Finished: Succeeded or Failed.
    bool hasFinished() const;

    // The one rule for "which Job owns this object" (a pod's metadata).
    static QString ownerJob(const QJsonObject &metadata);

private:
    QJsonObject m_object;
    QString m_name;
    QString m_namespace;
    QString m_job;
    QString m_phase;
    QString m_node;
    QString m_created;
    QString m_started;
    QJsonObject m_labels;
    bool m_hasLabels = false;
    QList<KubeContainer> m_containers;
};

} // namespace pw::kube
