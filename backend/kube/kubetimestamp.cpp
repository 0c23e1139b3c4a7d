#include "kubetimestamp.h"

#include <cstring>

#include "core/timeformat.h"

namespace pw::kube {

KubeTimestamp KubeTimestamp::parse(QByteArrayView text) {
    KubeTimestamp t;
    if (text.size() < 20 || text.size() > 40)
        return t;
    // Split off the fraction, which QDateTime would cut to milliseconds.
    qsizetype pos = 19;
    int nanos = 0;
    if (text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 9) {
                nanos = nanos * 10 + (text[pos] - '0');
                ++digits;
            }
            ++pos;
        }
        if (digits == 0)
            return t;
        for (int d = digits; d < 9; ++d)
            nanos *= 10;
    }
    // The text without the fraction, on the stack (text is at most 40 bytes).
    char buffer[40];
    const QByteArrayView rest = text.sliced(pos);
    std::memcpy(buffer, text.data(), 19);
    std::memcpy(buffer + 19, rest.data(), size_t(rest.size()));
    const QByteArrayView whole(buffer, 19 + rest.size());
    // Log lines come many to a second: the whole-second part is parsed once per second.
    thread_local QByteArray lastWhole;
    thread_local qint64 lastSeconds = 0;
    if (whole != QByteArrayView(lastWhole)) {
        const QDateTime dt = core::TimeFormat::parseRfc3339(QString::fromLatin1(whole));
        if (!dt.isValid())
            return t;
        lastWhole = whole.toByteArray();
        lastSeconds = dt.toSecsSinceEpoch();
    }
    t.seconds = lastSeconds;
    t.nanos = nanos;
    t.valid = true;
    return t;
}

QString KubeTimestamp::secondsString() const {
    return core::TimeFormat::rfc3339Seconds(QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC));
}

} // namespace pw::kube
