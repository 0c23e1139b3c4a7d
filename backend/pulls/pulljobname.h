#pragma once

#include <QList>
#include <QString>

namespace pw::pulls {

// Deterministic pull Job names (docs/architecture.md §2, "One Job per image"): every replica
// names the n-th Job of a source and target alike, image-puller-<hash>-<n>, so the API
// server's create conflict — not a replica's memory — decides which Job runs.
namespace PullJobName {
// image-puller-<12 hex digits of SHA-256(source, target)>-
QString stem(const QString &source, const QString &target);
// The number after the highest known Job of this stem, 1 when none is known.
int next(const QString &stem, const QList<QString> &knownIds);
} // namespace PullJobName

} // namespace pw::pulls
