#include "clock.h"

#include <QElapsedTimer>

namespace pw::core {

QDateTime SystemClock::now() const
{
    return QDateTime::currentDateTimeUtc();
}

qint64 SystemClock::monotonicMs() const
{
    static const QElapsedTimer start = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return start.elapsed();
}

Clock *Clock::system()
{
    static SystemClock clock;
    return &clock;
}

} // namespace pw::core
