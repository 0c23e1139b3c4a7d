#pragma once

#include <QString>

namespace pw::logs {

// One client of a shared log stream (LogFanout): a single-container session, or one source of
// a merged one. The fan-out knows its viewers only through this interface.
class LogViewer
{
public:
    virtual ~LogViewer() = default;
    virtual bool wantsTimestamps() const = 0;
    // A frame {"type":"log",…} of `lines` lines starting at `seq`, built once for every viewer.
    virtual void logFrame(qint64 seq, int lines, const QString &frame) = 0;
    // waiting | streaming | reconnecting, with a detail.
    virtual void logState(const QString &state, const QString &detail) = 0;
    // The container's log ended (every line has been offered as frames before this);
    // `podGone` when the pod was deleted.
    virtual void logEnded(const QString &detail, bool podGone) = 0;
};

} // namespace pw::logs
