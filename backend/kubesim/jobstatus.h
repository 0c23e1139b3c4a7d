#pragma once

#include <QJsonObject>
#include <QString>

namespace pw::kubesim {

namespace JobStatus {

// A Job's status once it ended, as the job controller writes it: no active or ready pods,
// the two conditions of its end (SuccessCriteriaMet and Complete, or FailureTarget and
// Failed) with `reason` and `message`, and completionTime when it completed.
QJsonObject finished(QJsonObject status, bool complete, const QString &reason,
                     const QString &message, const QString &now);

} // namespace JobStatus

} // namespace pw::kubesim
