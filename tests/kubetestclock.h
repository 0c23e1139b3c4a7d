#pragma once

#include "core/clock.h"

#include <QElapsedTimer>

// A clock tests can move forward.
class KubeTestClock : public Clock {
public:
    KubeTestClock() { m_timer.start(); }
    QDateTime now() const override { return QDateTime::currentDateTimeUtc().addMSecs(m_offsetMs); }
    qint64 monotonicMs() const override { return m_timer.elapsed() + m_offsetMs; }
    void advance(qint64 ms) { m_offsetMs += ms; }

private:
    QElapsedTimer m_timer;
    qint64 m_offsetMs = 0;
};
