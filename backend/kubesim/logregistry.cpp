#include "logregistry.h"

namespace pw::kubesim {

LogRegistry::LogRegistry(QObject *parent)
    : QObject(parent) {}

ContainerLog *LogRegistry::create(const QString &ns, const QString &pod, const QString &container,
                                  int instance) {
    const QString key = podKey(ns, pod);
    if (!m_logs.contains(key)) {
        m_podOrder << key;
        while (m_podOrder.size() > m_maxPods) {
            const QString oldest = m_podOrder.takeFirst();
            removePod(oldest.section(u'/', 0, 0), oldest.section(u'/', 1));
        }
    }
    auto &instances = m_logs[key][container];
    for (auto it = instances.begin(); it != instances.end();) {
        if (it.key() == instance || it.key() < instance - 1) {
            it.value()->finish();
            it.value()->deleteLater();
            it = instances.erase(it);
        } else {
            ++it;
        }
    }
    auto *log = new ContainerLog(this);
    instances.insert(instance, log);
    return log;
}

ContainerLog *LogRegistry::find(const QString &ns, const QString &pod, const QString &container,
                                int instance) const {
    return m_logs.value(podKey(ns, pod)).value(container).value(instance);
}

void LogRegistry::removePod(const QString &ns, const QString &pod) {
    m_podOrder.removeOne(podKey(ns, pod));
    const auto containers = m_logs.take(podKey(ns, pod));
    for (const auto &instances : containers) {
        for (ContainerLog *log : instances) {
            log->finish();
            log->deleteLater();
        }
    }
}

int LogRegistry::logCount() const {
    int n = 0;
    for (const auto &containers : m_logs)
        for (const auto &instances : containers)
            n += instances.size();
    return n;
}

} // namespace pw::kubesim
