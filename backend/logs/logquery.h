#pragma once

#include "logfanout.h"

#include "core/result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace pw::logs {

// The parameters of /ws/pod-logs (docs/architecture.md §4), validated before the upgrade is accepted:
// namespace (default: the cluster's), exactly one of pod=, job= and selector= (a label
// selector in kubectl -l syntax), container= (a name, or * for every container: merged mode,
// as is selector=), max_pods= (merged mode: 1..1000, default 50), sinceSeconds= or
// sinceTime= (RFC 3339), previous= (the last terminated container's log), tailLines=
// (1..100000), timestamps= (true|false|1|0), resume= (a seq from an earlier frame), stream=
// (the id of the shared stream that seq belongs to, from its "stream" messages), v= (the
// protocol version, 1 or 2: WsProtocol).
// Names are DNS-1123 (docs/architecture.md §2: validated before any request is built).
struct LogQuery
{
    static constexpr int kMaxTailLines = 100'000;
    static constexpr int kDefaultMaxPods = 50;
    static constexpr int kMaxMaxPods = 1000;

    QString namespaceName;
    QString pod;
    QString job;
    QString container; // "*": every container
    QString selector;  // a valid label selector (Selector::parseLabels)
    int maxPods = kDefaultMaxPods;
    qint64 sinceSeconds = -1; // < 0: not given
    QString sinceTime;        // RFC 3339 in UTC, whole seconds; empty: not given
    bool previous = false;
    int tailLines = -1; // < 0: everything the shared stream has
    bool timestamps = false;
    qint64 resume = -1; // < 0: no resume
    QString stream;     // empty: not given (older clients); read only with resume
    // Merged mode: resume=POD/CONTAINER:STREAM:SEQ[,…], where each source was (its last
    // "stream" id and the next seq wanted), by "pod/container".
    struct SourceResume
    {
        QString stream;
        qint64 seq = 0;
    };
    QHash<QString, SourceResume> sourceResumes;
    static constexpr int kMaxSourceResumes = 2000;

    // What a viewer asks of a new upstream: tailLines and since only on its first attach.
    LogFanoutOptions streamOptions(bool firstAttach) const
    {
        LogFanoutOptions o;
        o.previous = previous;
        if (firstAttach) {
            o.tailLines = tailLines;
            o.sinceTime = sinceTime;
        }
        return o;
    }
    // sinceSeconds as a sinceTime from `now`, so every source of a session starts at one instant.
    void fixSince(const QDateTime &now);

    bool allContainers() const { return container == QLatin1String("*"); }
    // One message stream from several sources: each log message names its pod and container.
    bool merged() const { return allContainers() || !selector.isEmpty(); }

    // `items` are the decoded query items; an error names the parameter and what is allowed.
    static core::Result<LogQuery> parse(const QList<QPair<QString, QString>> &items,
                                    const QString &defaultNamespace);
};

// Carried from the upgrade request's route to its session (WsEndpoint::connected).

} // namespace pw::logs

Q_DECLARE_METATYPE(pw::logs::LogQuery)
