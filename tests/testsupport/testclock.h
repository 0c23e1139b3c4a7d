#pragma once

#include "core/clock.h"

#include <QElapsedTimer>

// The clock tests inject and move by hand (advance()).
// Frozen (the default): stands at 2026-01-01 00:00 UTC until moved, so what TTLs, bans and
// expiries decide does not depend on how fast the test runs.
// Running: the real time plus what the test moved it, for code that compares the clock with
// times from outside the test (an exec plugin's expirationTimestamp).
class TestClock : public pw::core::Clock {
public:
    enum class Mode { Frozen, Running };

    explicit TestClock(Mode mode = Mode::Frozen)
        : m_mode(mode) {
        m_timer.start();
    }

    QDateTime now() const override {
        return m_mode == Mode::Running ? QDateTime::currentDateTimeUtc().addMSecs(m_offsetMs)
                                       : kFrozenStart.addMSecs(m_offsetMs);
    }
    qint64 monotonicMs() const override {
        return (m_mode == Mode::Running ? m_timer.elapsed() : kFrozenMonotonicMs) + m_offsetMs;
    }
    void advance(qint64 ms) { m_offsetMs += ms; }

private:
    static inline const QDateTime kFrozenStart = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    static constexpr qint64 kFrozenMonotonicMs = 1'000'000;

    Mode m_mode;
    QElapsedTimer m_timer;
    qint64 m_offsetMs = 0;
};
