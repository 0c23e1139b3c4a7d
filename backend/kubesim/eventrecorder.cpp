#include "eventrecorder.h"

#include "kubejson.h"
#include "objectstore.h"

namespace pw::kubesim {

void EventRecorder::record(const QJsonObject &object, const QString &type, const QString &reason,
                           const QString &message, const QString &component,
                           const QString &fieldPath, const QString &host) {
    const QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    const QString ns = meta.value(QStringLiteral("namespace")).toString();
    const QString name = meta.value(QStringLiteral("name")).toString();
    const QString uid = meta.value(QStringLiteral("uid")).toString();
    const QString now = KubeJson::nowStamp();
    // Aggregate a repeat of the same event on the same object.
    const QString aggregateKey = uid + u'|' + reason + u'|' + message + u'|' + fieldPath;
    const auto known = m_byAggregate.constFind(aggregateKey);
    if (known != m_byAggregate.constEnd()) {
        QJsonObject e = m_store->get(QStringLiteral("events"), known->first, known->second);
        if (!e.isEmpty()) {
            e.insert(QStringLiteral("count"), e.value(QStringLiteral("count")).toInt() + 1);
            e.insert(QStringLiteral("lastTimestamp"), now);
            m_store->update(QStringLiteral("events"), e);
            return;
        }
    }
    QJsonObject involved{
        {QStringLiteral("kind"), object.value(QStringLiteral("kind"))},
        {QStringLiteral("namespace"), ns},
        {QStringLiteral("name"), name},
        {QStringLiteral("uid"), uid},
        {QStringLiteral("apiVersion"), object.value(QStringLiteral("apiVersion"))},
        {QStringLiteral("resourceVersion"), meta.value(QStringLiteral("resourceVersion"))}};
    if (!fieldPath.isEmpty())
        involved.insert(QStringLiteral("fieldPath"), fieldPath);
    QJsonObject source{{QStringLiteral("component"), component}};
    if (!host.isEmpty())
        source.insert(QStringLiteral("host"), host);
    const QString eventName =
        name + u'.' + QString::number(0x180000000000ULL + (++m_serial) * 7919, 16);
    QJsonObject event{{QStringLiteral("kind"), QStringLiteral("Event")},
                      {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                      {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), eventName},
                                                               {QStringLiteral("namespace"), ns}}},
                      {QStringLiteral("involvedObject"), involved},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("message"), message},
                      {QStringLiteral("source"), source},
                      {QStringLiteral("firstTimestamp"), now},
                      {QStringLiteral("lastTimestamp"), now},
                      {QStringLiteral("count"), 1},
                      {QStringLiteral("type"), type},
                      {QStringLiteral("eventTime"), QJsonValue::Null},
                      {QStringLiteral("reportingComponent"), component},
                      {QStringLiteral("reportingInstance"), host}};
    m_store->create(QStringLiteral("events"), event);
    m_byAggregate.insert(aggregateKey, {ns, eventName});
    m_order.push_back({ns, eventName});
    // Bounded: drop the oldest events beyond the limit.
    while (int(m_order.size()) > m_limit) {
        const Key oldest = m_order.front();
        m_order.pop_front();
        m_store->remove(QStringLiteral("events"), oldest.first, oldest.second);
    }
    if (m_byAggregate.size() > 2 * m_limit) {
        for (auto it = m_byAggregate.begin(); it != m_byAggregate.end();) {
            if (!m_store->contains(QStringLiteral("events"), it->first, it->second))
                it = m_byAggregate.erase(it);
            else
                ++it;
        }
    }
}

} // namespace pw::kubesim
