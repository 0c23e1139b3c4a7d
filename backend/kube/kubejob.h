#pragma once

#include <QJsonObject>
#include <QString>

namespace pw::kube {

// A read-only view of a batch/v1 Job, parsed once where the object enters.
class KubeJob
{
public:
    KubeJob() = default;
    explicit KubeJob(const QJsonObject &object);

    bool isNull() const { return m_name.isEmpty(); }
    const QJsonObject &object() const { return m_object; }
    QString name() const { return m_name; }
    QString namespaceName() const { return m_namespace; }
    QString createdAt() const { return m_created; }
    QString startedAt() const { return m_started; }
    QString completedAt() const { return m_completed; }
    QJsonObject labels() const { return m_labels; }
    QJsonObject annotations() const { return m_annotations; }
    // The image of the pod template's first container.
    QString firstImage() const { return m_image; }
    int active() const { return m_active; }
    int succeeded() const { return m_succeeded; }
    int failed() const { return m_failed; }
    // "Complete" or "Failed" when the Job has that condition True, else empty.
    QString finishedCondition() const { return m_finished; }
    // The API server is deleting it (metadata.deletionTimestamp is set).
    bool isDeleting() const { return m_deleting; }
    // Finished or being deleted: a new pull of its image needs another Job.
    bool isFinishedOrDeleting() const { return m_deleting || !m_finished.isEmpty(); }

private:
    QJsonObject m_object;
    QString m_name;
    QString m_namespace;
    QString m_created;
    QString m_started;
    QString m_completed;
    QJsonObject m_labels;
    QJsonObject m_annotations;
    QString m_image;
    int m_active = 0;
    int m_succeeded = 0;
    int m_failed = 0;
    QString m_finished;
    bool m_deleting = false;
};

} // namespace pw::kube
