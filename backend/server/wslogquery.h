#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>

// The parameters of /ws/pod-logs (docs/architecture.md §4), validated before the upgrade is accepted:
// namespace (default: the cluster's), exactly one of pod= and job=, container=, tailLines=
// (1..100000), timestamps= (true|false|1|0), resume= (a seq from an earlier frame), stream=
// (the id of the shared stream that seq belongs to, from its "stream" messages), v= (the
// protocol version, 1 or 2: WsProtocol).
// Names are DNS-1123 (docs/architecture.md §2: validated before any request is built).
struct WsLogQuery
{
    static constexpr int kMaxTailLines = 100'000;

    QString namespaceName;
    QString pod;
    QString job;
    QString container;
    int tailLines = -1; // < 0: everything the shared stream has
    bool timestamps = false;
    qint64 resume = -1; // < 0: no resume
    QString stream;     // empty: not given (older clients); read only with resume

    // `items` are the decoded query items; an error names the parameter and what is allowed.
    static Result<WsLogQuery> parse(const QList<QPair<QString, QString>> &items,
                                    const QString &defaultNamespace);
};
