#include "jobstatus.h"

#include <QJsonArray>

namespace pw::kubesim {

namespace JobStatus {

QJsonObject finished(QJsonObject status, bool complete, const QString &reason,
                     const QString &message, const QString &now) {
    auto condition = [&](const QString &type) {
        return QJsonObject{{QStringLiteral("type"), type},
                           {QStringLiteral("status"), QStringLiteral("True")},
                           {QStringLiteral("lastProbeTime"), now},
                           {QStringLiteral("lastTransitionTime"), now},
                           {QStringLiteral("reason"), reason},
                           {QStringLiteral("message"), message}};
    };
    status.insert(QStringLiteral("active"), 0);
    status.insert(QStringLiteral("ready"), 0);
    if (complete) {
        status.insert(QStringLiteral("completionTime"), now);
        status.insert(QStringLiteral("conditions"),
                      QJsonArray{condition(QStringLiteral("SuccessCriteriaMet")),
                                 condition(QStringLiteral("Complete"))});
    } else {
        status.insert(QStringLiteral("conditions"),
                      QJsonArray{condition(QStringLiteral("FailureTarget")),
                                 condition(QStringLiteral("Failed"))});
    }
    status.insert(QStringLiteral("uncountedTerminatedPods"), QJsonObject());
    return status;
}

} // namespace JobStatus

} // namespace pw::kubesim
