#include "timeformat.h"

#include <QTimeZone>

namespace pw::core {

namespace TimeFormat {

QString rfc3339(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z");
}

QString rfc3339Seconds(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QDateTime parseRfc3339(QStringView text)
{
    // yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)
    if (text.size() < 20 || text[4] != u'-' || text[7] != u'-'
        || (text[10] != u'T' && text[10] != u't' && text[10] != u' ') || text[13] != u':'
        || text[16] != u':')
        return {};
    auto number = [&](int from, int len, bool *ok) { return text.mid(from, len).toInt(ok); };
    bool ok[6];
    const int year = number(0, 4, &ok[0]), month = number(5, 2, &ok[1]), day = number(8, 2, &ok[2]);
    const int hour = number(11, 2, &ok[3]), minute = number(14, 2, &ok[4]),
              second = number(17, 2, &ok[5]);
    for (bool b : ok)
        if (!b)
            return {};
    qsizetype pos = 19;
    int msec = 0;
    if (pos < text.size() && text[pos] == u'.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos].isDigit()) {
            if (digits < 3)
                msec = msec * 10 + text[pos].digitValue();
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return {};
        for (int d = digits; d < 3; ++d)
            msec *= 10;
    }
    if (pos >= text.size())
        return {};
    int offsetSeconds = 0;
    if (text[pos] == u'Z' || text[pos] == u'z') {
        ++pos;
    } else if (text[pos] == u'+' || text[pos] == u'-') {
        if (text.size() - pos != 6 || text[pos + 3] != u':')
            return {};
        bool okH = false, okM = false;
        const int oh = number(int(pos + 1), 2, &okH), om = number(int(pos + 4), 2, &okM);
        if (!okH || !okM || oh > 23 || om > 59)
            return {};
        offsetSeconds = (oh * 3600 + om * 60) * (text[pos] == u'-' ? -1 : 1);
        pos += 6;
    } else {
        return {};
    }
    if (pos != text.size())
        return {};
    const QDate date(year, month, day);
    const QTime clock(hour, minute, second, msec);
    if (!date.isValid() || !clock.isValid())
        return {};
    return QDateTime(date, clock, QTimeZone(offsetSeconds)).toUTC();
}

} // namespace TimeFormat

} // namespace pw::core
