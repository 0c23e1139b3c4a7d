#pragma once

#include "core/clock.h"

// A clock that tests move by hand.
class ManualClock : public Clock
{
public:
    QDateTime now() const override { return m_start.addMSecs(m_ms); }
    qint64 monotonicMs() const override { return m_ms; }
    void advance(qint64 ms) { m_ms += ms; }

private:
    QDateTime m_start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    qint64 m_ms = 1'000'000;
};
