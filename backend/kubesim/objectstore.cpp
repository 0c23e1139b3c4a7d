#include "objectstore.h"

#include "kubejson.h"

namespace pw::kubesim {

ObjectStore::ObjectStore(int historyLimit, QObject *parent)
    : QObject(parent)
    , m_historyLimit(qMax(1, historyLimit)) {}

void ObjectStore::setHistoryLimit(int limit) {
    m_historyLimit = qMax(1, limit);
}

bool ObjectStore::canResumeFrom(const QString &resource, quint64 version) const {
    return version >= m_history.value(resource).trimmedUpTo;
}

quint64 ObjectStore::oldestResumableVersion(const QString &resource) const {
    return m_history.value(resource).trimmedUpTo;
}

QList<StoreEvent> ObjectStore::eventsAfter(const QString &resource, quint64 version) const {
    QList<StoreEvent> out;
    const auto h = m_history.constFind(resource);
    if (h == m_history.constEnd())
        return out;
    // The history is ordered by version: find the first newer one from the back.
    auto it = h->events.end();
    while (it != h->events.begin() && std::prev(it)->version > version)
        --it;
    for (; it != h->events.end(); ++it)
        out << *it;
    return out;
}

bool ObjectStore::contains(const QString &resource, const QString &ns, const QString &name) const {
    const auto r = m_objects.constFind(resource);
    return r != m_objects.constEnd() && r->contains(key(ns, name));
}

QJsonObject ObjectStore::get(const QString &resource, const QString &ns,
                             const QString &name) const {
    const auto r = m_objects.constFind(resource);
    return r == m_objects.constEnd() ? QJsonObject() : r->value(key(ns, name));
}

QList<QJsonObject> ObjectStore::list(const QString &resource, const QString &ns) const {
    QList<QJsonObject> out;
    const auto r = m_objects.constFind(resource);
    if (r == m_objects.constEnd())
        return out;
    if (ns.isEmpty())
        return r->values();
    const QString prefix = ns + u'/';
    for (auto it = r->lowerBound(prefix); it != r->constEnd() && it.key().startsWith(prefix); ++it)
        out << it.value();
    return out;
}

QJsonObject ObjectStore::create(const QString &resource, QJsonObject object) {
    QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    meta.insert(QStringLiteral("uid"), KubeJson::newUid());
    meta.insert(QStringLiteral("resourceVersion"), QString::number(++m_version));
    meta.insert(QStringLiteral("creationTimestamp"), KubeJson::nowStamp());
    object.insert(QStringLiteral("metadata"), meta);
    const QString ns = meta.value(QStringLiteral("namespace")).toString();
    m_objects[resource].insert(key(ns, meta.value(QStringLiteral("name")).toString()), object);
    record({m_version, resource, QStringLiteral("ADDED"), object, {}});
    return object;
}

QJsonObject ObjectStore::update(const QString &resource, QJsonObject object) {
    QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    const QString k = key(meta.value(QStringLiteral("namespace")).toString(),
                          meta.value(QStringLiteral("name")).toString());
    auto &objects = m_objects[resource];
    const auto it = objects.find(k);
    if (it == objects.end())
        return {};
    const QJsonObject previous = it.value();
    const QJsonObject oldMeta = previous.value(QStringLiteral("metadata")).toObject();
    meta.insert(QStringLiteral("uid"), oldMeta.value(QStringLiteral("uid")));
    meta.insert(QStringLiteral("creationTimestamp"),
                oldMeta.value(QStringLiteral("creationTimestamp")));
    meta.insert(QStringLiteral("resourceVersion"), QString::number(++m_version));
    object.insert(QStringLiteral("metadata"), meta);
    it.value() = object;
    record({m_version, resource, QStringLiteral("MODIFIED"), object, previous});
    return object;
}

bool ObjectStore::remove(const QString &resource, const QString &ns, const QString &name) {
    auto &objects = m_objects[resource];
    const auto it = objects.find(key(ns, name));
    if (it == objects.end())
        return false;
    QJsonObject object = it.value();
    objects.erase(it);
    QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    meta.insert(QStringLiteral("resourceVersion"), QString::number(++m_version));
    object.insert(QStringLiteral("metadata"), meta);
    record({m_version, resource, QStringLiteral("DELETED"), object, {}});
    return true;
}

void ObjectStore::record(StoreEvent event) {
    History &h = m_history[event.resource];
    h.events.push_back(event);
    while (int(h.events.size()) > m_historyLimit) {
        h.trimmedUpTo = h.events.front().version;
        h.events.pop_front();
    }
    Q_EMIT changed(event);
}

} // namespace pw::kubesim
