#pragma once

#include "containerlog.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

namespace pw::kubesim {

// The logs of every container instance of every pod, by namespace, pod, container and
// instance (restart count). Only the current and the previous instance are kept, and the logs
// of at most maxPods pods (the pods whose logs were created first are forgotten first; their
// logs then read as empty, as after the kubelet's log rotation).
class LogRegistry : public QObject {
    Q_OBJECT
public:
    explicit LogRegistry(QObject *parent = nullptr);

    // A new log for an instance, replacing an older one with the same number.
    ContainerLog *create(const QString &ns, const QString &pod, const QString &container,
                         int instance);
    ContainerLog *find(const QString &ns, const QString &pod, const QString &container,
                       int instance) const;
    // Finishes and drops every log of a pod (the pod is gone).
    void removePod(const QString &ns, const QString &pod);
    int logCount() const;
    void setMaxPods(int pods) { m_maxPods = qMax(1, pods); }

private:
    static QString podKey(const QString &ns, const QString &pod) { return ns + u'/' + pod; }
    // pod → container → (instance → log)
    QHash<QString, QHash<QString, QHash<int, ContainerLog *>>> m_logs;
    QStringList m_podOrder; // oldest first
    int m_maxPods = 2000;
};

} // namespace pw::kubesim
