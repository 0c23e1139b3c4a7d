#pragma once

#include <QString>

namespace pw::core {

// The original service's four statuses; its clients depend on exactly these strings.
enum class PullStatus { Pending, Pulling, Completed, Failed };

// The finer step of a pull, each with the original service's progress number.
enum class PullStage {
    Initializing,  // 5
    Waiting,       // 10
    PullingSource, // 30
    SourcePulled,  // 60
    Pushing,       // 80
    Completed,     // 100
    Failed,        // keeps the progress it had reached
};

enum class FailureReason {
    None,
    ImageNotFound,
    Unauthorized,
    PullBackOff,
    PushFailed,
    DeadlineExceeded,
    BackoffLimitExceeded,
    Unschedulable,
    Cancelled,
    Unknown,
};

namespace PullStates {
QString toString(PullStatus status);
QString toString(PullStage stage);
QString toString(FailureReason reason);
// Parsers return false for an unknown string and leave *out untouched.
bool fromString(QStringView text, PullStatus *out);
bool fromString(QStringView text, PullStage *out);
bool fromString(QStringView text, FailureReason *out);

int progressOf(PullStage stage);
// The status a stage belongs to: pulling throughout, until completed or failed.
PullStatus statusOf(PullStage stage);
bool isTerminal(PullStatus status);
} // namespace PullStates

} // namespace pw::core
