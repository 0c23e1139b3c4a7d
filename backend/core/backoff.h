#pragma once

#include <QtGlobal>

#include <random>

namespace pw::core {

// Reconnection delays, for the Kubernetes client and the window alike (one class: two
// definitions of one name in two libraries is an ODR violation, see tst_layering).
// Exponential backoff with full jitter, capped: delay n is uniform in
// [base·2ⁿ / 2, base·2ⁿ], at most `maxMs`.
class Backoff {
public:
    explicit Backoff(int initialMs = 500, int maxMs = 30'000);
    void setLimits(int initialMs, int maxMs);
    int nextDelayMs();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_attempt = 0;
    std::minstd_rand m_random;
};

} // namespace pw::core
