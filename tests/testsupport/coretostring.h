#pragma once

// QTest::toString overloads (found by argument-dependent lookup) for the value types of
// backend/core, so that a failed QCOMPARE prints "failed", not "3".

#include "core/pullstatus.h"

#include <QTest>

namespace pw::core {

inline char *toString(PullStatus status)
{
    return QTest::toString(PullStates::toString(status));
}

inline char *toString(PullStage stage)
{
    return QTest::toString(PullStates::toString(stage));
}

inline char *toString(FailureReason reason)
{
    return QTest::toString(PullStates::toString(reason));
}

} // namespace pw::core
