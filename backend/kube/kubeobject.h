#pragma once

#include <QJsonObject>
#include <QString>

namespace pw::kube {

// Reading the metadata every Kubernetes object has.
namespace KubeObject {

inline QJsonObject metadata(const QJsonObject &o) {
    return o.value(QLatin1String("metadata")).toObject();
}

inline QString name(const QJsonObject &o) {
    return metadata(o).value(QLatin1String("name")).toString();
}

inline QString resourceVersion(const QJsonObject &o) {
    return metadata(o).value(QLatin1String("resourceVersion")).toString();
}

// The uid, or namespace/name for an object without one.
inline QString uid(const QJsonObject &o) {
    const QJsonObject m = metadata(o);
    const QString uid = m.value(QLatin1String("uid")).toString();
    return uid.isEmpty() ? m.value(QLatin1String("namespace")).toString() + u'/' +
                               m.value(QLatin1String("name")).toString()
                         : uid;
}

} // namespace KubeObject

} // namespace pw::kube
