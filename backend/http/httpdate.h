#pragma once

#include <QByteArray>

namespace pw::http {

// RFC 9110 §5.6.7: the IMF-fixdate of the Date header ("Sun, 06 Nov 1994 08:49:37 GMT").
namespace HttpDate {
// The current second, formatted at most once a second per thread (thread_local cache: safe
// from any thread, with no lock on the answer path).
QByteArray now();
// `secsSinceEpoch`, formatted.
QByteArray format(qint64 secsSinceEpoch);
} // namespace HttpDate

} // namespace pw::http
