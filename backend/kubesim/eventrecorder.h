#pragma once

#include <QHash>
#include <QJsonObject>
#include <QPair>
#include <QString>

#include <deque>

namespace pw::kubesim {

class ObjectStore;

// Writes core/v1 Events about objects as the kubelet, scheduler and job controller do,
// aggregating repeats (same object, reason and message: count and lastTimestamp grow) and
// keeping at most `limit` events (the oldest go, as the apiserver's event TTL would).
class EventRecorder {
public:
    EventRecorder(ObjectStore *store, int limit)
        : m_store(store)
        , m_limit(limit) {}

    // `object` is the involved object (kind, metadata); `component` e.g. "kubelet".
    void record(const QJsonObject &object, const QString &type, const QString &reason,
                const QString &message, const QString &component, const QString &fieldPath = {},
                const QString &host = {});

private:
    ObjectStore *m_store;
    int m_limit;
    quint64 m_serial = 0;
    using Key = QPair<QString, QString>; // namespace, name
    QHash<QString, Key> m_byAggregate;   // uid|reason|message|fieldPath → event
    std::deque<Key> m_order;             // oldest first, for the limit
};

} // namespace pw::kubesim
