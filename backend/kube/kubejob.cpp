#include "kubejob.h"

#include <QJsonArray>

namespace pw::kube {

KubeJob::KubeJob(const QJsonObject &object)
    : m_object(object)
{
    const QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    m_name = meta.value(QLatin1String("name")).toString();
    m_namespace = meta.value(QLatin1String("namespace")).toString();
    m_created = meta.value(QLatin1String("creationTimestamp")).toString();
    m_labels = meta.value(QLatin1String("labels")).toObject();
    m_annotations = meta.value(QLatin1String("annotations")).toObject();
    m_deleting = meta.contains(QLatin1String("deletionTimestamp"));
    m_image = object[QLatin1String("spec")][QLatin1String("template")][QLatin1String("spec")]
                    [QLatin1String("containers")][0][QLatin1String("image")]
                        .toString();
    const QJsonObject status = object.value(QLatin1String("status")).toObject();
    m_started = status.value(QLatin1String("startTime")).toString();
    m_completed = status.value(QLatin1String("completionTime")).toString();
    m_active = status.value(QLatin1String("active")).toInt();
    m_succeeded = status.value(QLatin1String("succeeded")).toInt();
    m_failed = status.value(QLatin1String("failed")).toInt();
    for (const QJsonValue &cond : status.value(QLatin1String("conditions")).toArray()) {
        const QString type = cond[QLatin1String("type")].toString();
        if ((type == QLatin1String("Complete") || type == QLatin1String("Failed"))
            && cond[QLatin1String("status")].toString() == QLatin1String("True")) {
            m_finished = type;
            break;
        }
    }
}

} // namespace pw::kube
