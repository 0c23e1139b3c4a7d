#include "httpdate.h"

#include <QDateTime>
#include <QLocale>

namespace pw::http {

namespace HttpDate {

QByteArray format(qint64 secsSinceEpoch) {
    return QLocale::c()
        .toString(QDateTime::fromSecsSinceEpoch(secsSinceEpoch, Qt::UTC),
                  QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

QByteArray now() {
    // RFC 9110 §6.6.1: an origin server with a clock sends Date. Each thread keeps its own
    // copy, so servers on several threads (kubesim beside the API in tests) never share one.
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const qint64 second = QDateTime::currentSecsSinceEpoch();
    if (second != cachedSecond) {
        cachedSecond = second;
        cached = format(second);
    }
    return cached;
}

} // namespace HttpDate

} // namespace pw::http
