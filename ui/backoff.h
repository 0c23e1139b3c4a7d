#pragma once

#include <QtGlobal>

// Reconnection delays: doubling from `first` to `max`, reset on success.
class Backoff {
public:
    Backoff(int firstMs = 500, int maxMs = 10'000)
        : m_first(firstMs)
        , m_max(maxMs) {}
    int next() {
        const int delay = m_current == 0 ? m_first : qMin(m_max, m_current * 2);
        m_current = delay;
        return delay;
    }
    void reset() { m_current = 0; }
    int current() const { return m_current; }

private:
    int m_first;
    int m_max;
    int m_current = 0;
};
