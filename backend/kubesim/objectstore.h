#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <deque>

namespace pw::kubesim {

// One change of one object, as a watch delivers it.
struct StoreEvent {
    quint64 version = 0;
    QString resource; // "jobs", "pods", "events", "namespaces"
    QString type;     // ADDED, MODIFIED, DELETED
    QJsonObject object;
    QJsonObject previous; // for MODIFIED: the object before (selector transitions)
};

// The simulated etcd: objects by resource, namespace and name, one global resourceVersion,
// and per resource a bounded history of changes for watches, like the apiserver's watch
// cache (a version older than what the history holds is "too old", 410). A flood of events
// therefore does not expire the watches on jobs or pods.
class ObjectStore : public QObject {
    Q_OBJECT
public:
    explicit ObjectStore(int historyLimit, QObject *parent = nullptr);

    quint64 currentVersion() const { return m_version; }
    // Whether a watch on `resource` may resume after `version` (every later change of that
    // resource is still in its history).
    bool canResumeFrom(const QString &resource, quint64 version) const;
    // Changes of `resource` after `version`, oldest first.
    QList<StoreEvent> eventsAfter(const QString &resource, quint64 version) const;
    quint64 oldestResumableVersion(const QString &resource) const;

    bool contains(const QString &resource, const QString &ns, const QString &name) const;
    QJsonObject get(const QString &resource, const QString &ns, const QString &name) const;
    // All objects of a resource, in one namespace or (ns empty) in all, ordered by ns/name.
    QList<QJsonObject> list(const QString &resource, const QString &ns = {}) const;
    int count(const QString &resource) const { return m_objects.value(resource).size(); }

    // Sets uid, resourceVersion, creationTimestamp (create) and records the change.
    QJsonObject create(const QString &resource, QJsonObject object);
    // Replaces the stored object (keeping uid and creationTimestamp); false when absent.
    QJsonObject update(const QString &resource, QJsonObject object);
    bool remove(const QString &resource, const QString &ns, const QString &name);

    void setHistoryLimit(int limit);

Q_SIGNALS:
    void changed(const StoreEvent &event);

private:
    static QString key(const QString &ns, const QString &name) { return ns + u'/' + name; }
    void record(StoreEvent event);

    quint64 m_version = 100;
    int m_historyLimit;
    QHash<QString, QMap<QString, QJsonObject>> m_objects;
    struct History {
        std::deque<StoreEvent> events;
        quint64 trimmedUpTo = 0; // the newest version dropped from the history
    };
    QHash<QString, History> m_history;
};

} // namespace pw::kubesim
