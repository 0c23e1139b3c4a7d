#pragma once

#include <QString>

namespace pw::app {

namespace LogSetup {
// Installs the message handler: `text` lines for people, `json` (one object a line) for
// servers and log collectors; `level` is debug|info|warning|error for pullwatch.* categories.
void install(const QString &level, const QString &format);
// Masks credentials that could slip into a message (bearer tokens, passwords in URLs).
QString redact(const QString &message);
} // namespace LogSetup

} // namespace pw::app
