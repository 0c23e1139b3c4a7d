#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace pw::kubesim {

// JSON helpers shared by the simulator's resources: nested fields, timestamps, Status.
namespace KubeJson {
// The value at a dotted path ("metadata.labels"), undefined when absent.
QJsonValue at(const QJsonObject &object, const QString &dottedPath);
// Sets a nested value, creating the objects on the way.
void set(QJsonObject &object, const QStringList &path, const QJsonValue &value);
QByteArray compact(const QJsonObject &object);
QString timestamp(const QDateTime &time); // metav1.Time: seconds, UTC, Z
QString nowStamp();
QString randomSuffix(int length); // bcdfghjklmnpqrstvwxz2456789 like the apiserver
QString newUid();

// A metav1.Status failure body (kind Status, apiVersion v1) with reason, code and details.
QByteArray status(int code, const QString &reason, const QString &message,
                  const QJsonObject &details = {});
QByteArray statusSuccess(const QJsonObject &details);
QString reasonForCode(int code);
// "jobs.batch", "pods" — the group-qualified resource used in messages.
QString qualified(const QString &resource, const QString &group);
QByteArray notFound(const QString &resource, const QString &group, const QString &name);
QByteArray alreadyExists(const QString &resource, const QString &group, const QString &name);
} // namespace KubeJson

} // namespace pw::kubesim
