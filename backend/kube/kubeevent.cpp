#include "kubeevent.h"

namespace pw::kube {

KubeEvent::KubeEvent(const QJsonObject &object)
{
    const QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    m_name = meta.value(QLatin1String("name")).toString();
    m_namespace = meta.value(QLatin1String("namespace")).toString();
    m_type = object.value(QLatin1String("type")).toString();
    m_reason = object.value(QLatin1String("reason")).toString();
    m_message = object.value(QLatin1String("message")).toString();
    m_count = qMax(1, object.value(QLatin1String("count")).toInt(1));
    for (const QString &time : {object.value(QLatin1String("lastTimestamp")).toString(),
                                object.value(QLatin1String("eventTime")).toString(),
                                meta.value(QLatin1String("creationTimestamp")).toString()}) {
        if (!time.isEmpty()) {
            m_time = time;
            break;
        }
    }
    const QJsonObject involved = object.value(QLatin1String("involvedObject")).toObject();
    m_objectKind = involved.value(QLatin1String("kind")).toString();
    m_objectName = involved.value(QLatin1String("name")).toString();
}

} // namespace pw::kube
