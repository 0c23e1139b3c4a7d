#pragma once

#include "core/pulljob.h"

#include <QString>

namespace pw::pulls {

// The line that explains a failed pull, put first in its message (the details pane and the
// API show events and full logs below it). A push that failed is explained by crane's own
// error line (`Error: PUT …: UNAUTHORIZED: …`), not by its exit code.
namespace FailureCause {
// crane's error line in a push container's log: the last `Error:` line, else the last line
// naming a registry error code; empty when the log holds none.
QString craneErrorLine(const QString &pushLog);
// `job.message` with the cause first, for the reasons whose cause is in the details or the
// settings (`deadlineSeconds`: the Job's activeDeadlineSeconds).
QString leadingMessage(const core::PullJob &job, int deadlineSeconds = 0);
} // namespace FailureCause

} // namespace pw::pulls
