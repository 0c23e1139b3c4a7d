#include "podinfo.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pw::ui {

namespace {

QString firstString(const QJsonObject &o, std::initializer_list<const char *> keys) {
    for (const char *k : keys) {
        const QJsonValue v = o.value(QLatin1String(k));
        if (v.isString())
            return v.toString();
    }
    return QString();
}

QString stateOf(const QJsonValue &v) {
    if (v.isString())
        return v.toString();
    // Kubernetes' shape: {"running":{…}} / {"waiting":{"reason":…}} / {"terminated":…}
    const QJsonObject o = v.toObject();
    return o.isEmpty() ? QString() : o.keys().constFirst();
}

void readContainers(const QJsonValue &value, bool init, QList<PodInfo::Container> *out) {
    for (const QJsonValue &v : value.toArray()) {
        PodInfo::Container c;
        c.init = init;
        if (v.isString()) {
            c.name = v.toString();
        } else {
            const QJsonObject o = v.toObject();
            c.name = o.value(QStringLiteral("name")).toString();
            c.state = stateOf(o.value(QStringLiteral("state")));
            if (o.value(QStringLiteral("init")).toBool())
                c.init = true;
        }
        if (!c.name.isEmpty())
            out->append(c);
    }
}

} // namespace

PodInfo PodInfo::fromJson(const QJsonValue &value) {
    PodInfo p;
    if (value.isString()) {
        p.name = value.toString();
        return p;
    }
    const QJsonObject o = value.toObject();
    const QJsonObject meta = o.value(QStringLiteral("metadata")).toObject();
    p.name = firstString(o, {"name", "pod"});
    if (p.name.isEmpty())
        p.name = meta.value(QStringLiteral("name")).toString();
    p.namespaceName = firstString(o, {"namespace"});
    p.phase = firstString(o, {"phase", "status"});
    p.job = firstString(o, {"job", "job_name", "jobName", "owner_job"});
    readContainers(o.value(QStringLiteral("init_containers")), true, &p.containers);
    readContainers(o.value(QStringLiteral("initContainers")), true, &p.containers);
    readContainers(o.value(QStringLiteral("containers")), false, &p.containers);
    return p;
}

QList<PodInfo> PodInfo::listFromJson(const QJsonValue &data) {
    QJsonArray array = data.toArray();
    if (data.isObject()) // {"pods":[…]} or {"items":[…]}
        for (const char *k : {"pods", "items"})
            if (data.toObject().value(QLatin1String(k)).isArray())
                array = data.toObject().value(QLatin1String(k)).toArray();
    QList<PodInfo> out;
    for (const QJsonValue &v : array) {
        PodInfo p = fromJson(v);
        if (!p.name.isEmpty())
            out.append(p);
    }
    return out;
}

QStringList PodInfo::namesFromJson(const QJsonValue &data) {
    QJsonArray array = data.toArray();
    if (data.isObject())
        for (const char *k : {"namespaces", "items"})
            if (data.toObject().value(QLatin1String(k)).isArray())
                array = data.toObject().value(QLatin1String(k)).toArray();
    QStringList out;
    for (const QJsonValue &v : array) {
        const QString name =
            v.isString() ? v.toString() : v.toObject().value(QStringLiteral("name")).toString();
        if (!name.isEmpty())
            out.append(name);
    }
    return out;
}

} // namespace pw::ui
