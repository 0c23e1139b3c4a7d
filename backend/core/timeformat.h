#pragma once

#include <QDateTime>
#include <QString>

namespace pw::core {

namespace TimeFormat {
// RFC 3339 in UTC with fractional seconds: 2026-11-27T09:50:15.123456Z (microseconds are
// zero-filled; Qt keeps milliseconds).
QString rfc3339(const QDateTime &time);
// RFC 3339 without fractional seconds, as Kubernetes writes metav1.Time.
QString rfc3339Seconds(const QDateTime &time);
// Parses RFC 3339 with or without fractions (up to nanoseconds) and with Z or ±hh:mm.
QDateTime parseRfc3339(QStringView text);
} // namespace TimeFormat

} // namespace pw::core
