#include "kubetimestamp.h"

#include "core/timeformat.h"

KubeTimestamp KubeTimestamp::parse(QByteArrayView text) {
    KubeTimestamp t;
    if (text.size() < 20 || text.size() > 40)
        return t;
    // Split off the fraction, which QDateTime would cut to milliseconds.
    QByteArray whole = text.first(19).toByteArray();
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
    whole += text.sliced(pos);
    const QDateTime dt = TimeFormat::parseRfc3339(QString::fromLatin1(whole));
    if (!dt.isValid())
        return t;
    t.seconds = dt.toSecsSinceEpoch();
    t.nanos = nanos;
    t.valid = true;
    return t;
}

QString KubeTimestamp::secondsString() const {
    return TimeFormat::rfc3339Seconds(QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC));
}
