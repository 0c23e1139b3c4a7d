#pragma once

#include "logstream.h"

#include <QDateTime>
#include <QString>

namespace pw::ui {

namespace LogFileName {
// The name Save… suggests for a log tab: `<namespace>_<pod-or-job>_<container>_<UTC time>.log`,
// `all` for every container, a selector target's selector made file-safe (letters, digits,
// `.`, `_` and `-` kept, anything else `-`), the time as `yyyyMMddTHHmmssZ`.
QString suggest(const LogTarget &target, const QDateTime &when);
// `text` with every character outside [A-Za-z0-9._-] replaced by `-`.
QString sanitise(const QString &text);
} // namespace LogFileName

} // namespace pw::ui
