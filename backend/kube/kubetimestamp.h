#pragma once

#include <QByteArrayView>
#include <QString>

namespace pw::kube {

// A Kubernetes log timestamp as the server wrote it: RFC 3339 with up to nine fractional
// digits. Compared with nanosecond precision (QDateTime keeps only milliseconds).
struct KubeTimestamp {
    qint64 seconds = 0; // since the epoch, UTC
    int nanos = 0;
    bool valid = false;

    static KubeTimestamp parse(QByteArrayView text);
    // The same instant truncated to whole seconds, in UTC ("2026-11-27T10:00:01Z"): what the
    // API's sinceTime accepts.
    QString secondsString() const;

    friend bool operator<(const KubeTimestamp &a, const KubeTimestamp &b) {
        return a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos;
    }
    friend bool operator==(const KubeTimestamp &a, const KubeTimestamp &b) {
        return a.seconds == b.seconds && a.nanos == b.nanos;
    }
};

} // namespace pw::kube
