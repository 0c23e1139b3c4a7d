#pragma once

#include <QDateTime>

namespace pw::core {

// Time is injectable wherever timeouts, TTLs or bans are decided (CONVENTIONS.md).
class Clock
{
public:
    virtual ~Clock() = default;
    // Wall-clock time, for timestamps shown to people.
    virtual QDateTime now() const = 0;
    // Monotonic milliseconds, for durations and expiry.
    virtual qint64 monotonicMs() const = 0;

    // The process-wide real clock.
    static Clock *system();
};

class SystemClock : public Clock
{
public:
    QDateTime now() const override;
    qint64 monotonicMs() const override;
};

} // namespace pw::core
