#include "failurecause.h"

#include <QRegularExpression>
#include <QStringList>

namespace pw::pulls {

namespace FailureCause {

QString craneErrorLine(const QString &pushLog) {
    // Registry error codes of the distribution spec (as crane prints them), and its prefix.
    static const QRegularExpression code(QStringLiteral(
        "\\b(UNAUTHORIZED|DENIED|NAME_UNKNOWN|MANIFEST_UNKNOWN|MANIFEST_INVALID|BLOB_UNKNOWN|"
        "BLOB_UPLOAD_INVALID|NAME_INVALID|TAG_INVALID|SIZE_INVALID|UNSUPPORTED|TOOMANYREQUESTS)"
        "\\b"));
    const QStringList lines = pushLog.split(u'\n', Qt::SkipEmptyParts);
    QString withCode;
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = it->trimmed();
        if (line.startsWith(QStringLiteral("Error:"), Qt::CaseInsensitive))
            return line.mid(6).trimmed();
        if (withCode.isEmpty() && code.match(line).hasMatch())
            withCode = line;
    }
    return withCode;
}

QString leadingMessage(const core::PullJob &job, int deadlineSeconds) {
    if (job.reason == core::FailureReason::DeadlineExceeded && deadlineSeconds > 0) {
        const QString cause =
            QStringLiteral("the pull ran longer than its deadline of %1 s (--job-deadline)")
                .arg(deadlineSeconds);
        if (job.message.startsWith(cause))
            return job.message;
        return job.message.isEmpty() ? cause : QStringLiteral("%1: %2").arg(cause, job.message);
    }
    if (job.reason != core::FailureReason::PushFailed)
        return job.message;
    const QString cause = craneErrorLine(job.pushLogTail);
    if (cause.isEmpty() || job.message.startsWith(cause))
        return job.message;
    // "push to Harbor exited with code 1" says only that it failed: it goes last.
    return job.message.isEmpty() ? cause : QStringLiteral("%1 (%2)").arg(cause, job.message);
}

} // namespace FailureCause

} // namespace pw::pulls
