#pragma once

#include "pullerror.h"

#include "core/imagereference.h"

#include <QJsonArray>
#include <QList>
#include <QStringList>

#include <optional>

namespace pw::pulls {

struct PullSettings;
class PullTracker;

// A reference checked and resolved: its normalised source and its Harbor target.
struct PlannedPull
{
    core::ImageReference source;
    QString target;
};

// The names of a pull request checked before any Job is created: POST /images/pull,
// /images/pull-preview and /images/pull-check all go through it. It reads the settings and
// the pulls known now; it changes nothing.
class PullPlanner
{
public:
    PullPlanner(const PullSettings &settings, const PullTracker &tracker);

    // The rules each name must pass, in order: the reference (core/imagereference), the
    // registry policy and the Harbor target rule. Returns what is wrong (the reference's own
    // words first), or "" with *out filled.
    QString checkName(const QString &reference, PlannedPull *out) const;
    // Parses and normalises every reference and finds its Harbor target; the error names the
    // first bad one (400), or the pull that owns a target another source would take (409).
    std::optional<PullError> plan(const QStringList &references, QList<PlannedPull> *out) const;
    // What POST /images/pull would do, without doing it: per reference its source, Harbor
    // target and the active pull it would join (empty when a Job would be created).
    std::optional<PullError> preview(const QStringList &references, QJsonArray *out) const;

    // A retry of the failed pull `id`: its source and Harbor target, checked again (the
    // registry policy may have been tightened since). *activeId is set when an active pull
    // from the same source fills that target already: the retry joins it.
    std::optional<PullError> planRetry(const QString &id, PlannedPull *out, QString *activeId) const;

    static constexpr int kMaxReferences = 100;

private:
    const PullSettings &m_settings;
    const PullTracker &m_tracker;
};

} // namespace pw::pulls
