#pragma once

#include <QJsonObject>
#include <QString>

namespace pw::kube {

// A read-only view of a core/v1 Event, parsed once where the object enters.
class KubeEvent
{
public:
    KubeEvent() = default;
    explicit KubeEvent(const QJsonObject &object);

    QString name() const { return m_name; }
    QString namespaceName() const { return m_namespace; }
    QString type() const { return m_type; }       // Normal | Warning
    QString reason() const { return m_reason; }
    QString message() const { return m_message; }
    int count() const { return m_count; }         // at least 1
    // When it last happened: lastTimestamp, else eventTime, else its creation (RFC 3339).
    QString time() const { return m_time; }
    QString objectKind() const { return m_objectKind; } // the object it is about
    QString objectName() const { return m_objectName; }

private:
    QString m_name;
    QString m_namespace;
    QString m_type;
    QString m_reason;
    QString m_message;
    int m_count = 1;
    QString m_time;
    QString m_objectKind;
    QString m_objectName;
};

} // namespace pw::kube
