#include "pullstatus.h"

#include <array>
#include <utility>

namespace pw::core {

namespace {

template <typename E, std::size_t N>
QString nameOf(const std::array<std::pair<E, const char16_t *>, N> &table, E value)
{
    for (const auto &[e, name] : table)
        if (e == value)
            return QString::fromUtf16(name);
    return {};
}

template <typename E, std::size_t N>
bool valueOf(const std::array<std::pair<E, const char16_t *>, N> &table, QStringView text, E *out)
{
    for (const auto &[e, name] : table) {
        if (text == QStringView(name)) {
            *out = e;
            return true;
        }
    }
    return false;
}

const std::array<std::pair<PullStatus, const char16_t *>, 4> kStatus{{
    {PullStatus::Pending, u"pending"},
    {PullStatus::Pulling, u"pulling"},
    {PullStatus::Completed, u"completed"},
    {PullStatus::Failed, u"failed"},
}};

const std::array<std::pair<PullStage, const char16_t *>, 7> kStage{{
    {PullStage::Initializing, u"initializing"},
    {PullStage::Waiting, u"waiting"},
    {PullStage::PullingSource, u"pulling-source"},
    {PullStage::SourcePulled, u"source-pulled"},
    {PullStage::Pushing, u"pushing"},
    {PullStage::Completed, u"completed"},
    {PullStage::Failed, u"failed"},
}};

const std::array<std::pair<FailureReason, const char16_t *>, 10> kReason{{
    {FailureReason::None, u""},
    {FailureReason::ImageNotFound, u"ImageNotFound"},
    {FailureReason::Unauthorized, u"Unauthorized"},
    {FailureReason::PullBackOff, u"PullBackOff"},
    {FailureReason::PushFailed, u"PushFailed"},
    {FailureReason::DeadlineExceeded, u"DeadlineExceeded"},
    {FailureReason::BackoffLimitExceeded, u"BackoffLimitExceeded"},
    {FailureReason::Unschedulable, u"Unschedulable"},
    {FailureReason::Cancelled, u"Cancelled"},
    {FailureReason::Unknown, u"Unknown"},
}};

} // namespace

namespace PullStates {

QString toString(PullStatus status) { return nameOf(kStatus, status); }
QString toString(PullStage stage) { return nameOf(kStage, stage); }
QString toString(FailureReason reason) { return nameOf(kReason, reason); }
bool fromString(QStringView text, PullStatus *out) { return valueOf(kStatus, text, out); }
bool fromString(QStringView text, PullStage *out) { return valueOf(kStage, text, out); }
bool fromString(QStringView text, FailureReason *out) { return valueOf(kReason, text, out); }

int progressOf(PullStage stage)
{
    switch (stage) {
    case PullStage::Initializing:
        return 5;
    case PullStage::Waiting:
        return 10;
    case PullStage::PullingSource:
        return 30;
    case PullStage::SourcePulled:
        return 60;
    case PullStage::Pushing:
        return 80;
    case PullStage::Completed:
        return 100;
    case PullStage::Failed:
        return 0;
    }
    return 0;
}

PullStatus statusOf(PullStage stage)
{
    // docs/architecture.md §2: `pulling` throughout the stages, until completed or failed. `pending` is
    // the status of a pull whose Job the cluster has not accepted yet.
    switch (stage) {
    case PullStage::Completed:
        return PullStatus::Completed;
    case PullStage::Failed:
        return PullStatus::Failed;
    default:
        return PullStatus::Pulling;
    }
}

bool isTerminal(PullStatus status)
{
    return status == PullStatus::Completed || status == PullStatus::Failed;
}

} // namespace PullStates

} // namespace pw::core
