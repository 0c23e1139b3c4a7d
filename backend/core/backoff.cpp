#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace pw::core {

Backoff::Backoff(int initialMs, int maxMs)
    : m_initialMs(initialMs)
    , m_maxMs(maxMs)
    , m_random(QRandomGenerator::global()->generate()) {}

void Backoff::setLimits(int initialMs, int maxMs) {
    m_initialMs = std::max(1, initialMs);
    m_maxMs = std::max(m_initialMs, maxMs);
}

int Backoff::nextDelayMs() {
    const qint64 full = std::min<qint64>(qint64(m_initialMs) << std::min(m_attempt, 20), m_maxMs);
    ++m_attempt;
    std::uniform_int_distribution<qint64> jitter(full / 2, full);
    return int(jitter(m_random));
}

} // namespace pw::core
