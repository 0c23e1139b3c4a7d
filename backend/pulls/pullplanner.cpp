#include "pullplanner.h"

#include "harbortarget.h"
#include "pullsettings.h"
#include "pulltracker.h"

#include <QHash>
#include <QJsonObject>

namespace pw::pulls {

PullPlanner::PullPlanner(const PullSettings &settings, const PullTracker &tracker)
    : m_settings(settings)
    , m_tracker(tracker)
{
}

QString PullPlanner::checkName(const QString &reference, PlannedPull *out) const
{
    const auto ref = core::ImageReference::parse(reference);
    if (!ref.ok())
        return ref.error();
    if (const QString refused = m_settings.registryPolicy.check(ref.value()); !refused.isEmpty())
        return refused;
    const auto target = HarborTarget::of(ref.value(), m_settings);
    if (!target.ok())
        return target.error();
    *out = PlannedPull{ref.value(), target.value()};
    return {};
}

std::optional<PullError> PullPlanner::plan(const QStringList &references, QList<PlannedPull> *out) const
{
    if (references.isEmpty())
        return PullError{400, QStringLiteral("no image given: send {\"names\":[\"image:tag\",…]}, "
                                             "{\"name\":\"image\",\"tag\":\"tag\"} or "
                                             "{\"name\":\"image:tag\"}")};
    if (references.size() > kMaxReferences)
        return PullError{400, QStringLiteral("names has %1 entries; at most %2 are allowed")
                                  .arg(references.size())
                                  .arg(kMaxReferences)};
    QHash<QString, qsizetype> byTarget;
    for (qsizetype i = 0; i < references.size(); ++i) {
        const QString shown = QStringLiteral("names[%1] '%2'").arg(i).arg(references[i].left(200));
        PlannedPull planned;
        if (const QString wrong = checkName(references[i], &planned); !wrong.isEmpty())
            return PullError{400, shown + QStringLiteral(": ") + wrong};
        const QString source = planned.source.toString();
        // docs/architecture.md §2: one target, one source — a registry may not replace another's image.
        if (const auto owner = m_tracker.ownerOf(planned.target); owner && owner->source != source)
            return PullError{409, QStringLiteral("%1: its Harbor target '%2' belongs to pull '%3', "
                                                 "which copies '%4' there; a different source may "
                                                 "not replace it")
                                      .arg(shown, planned.target, owner->id, owner->source)};
        if (const auto j = byTarget.constFind(planned.target);
            j != byTarget.constEnd() && out->at(*j).source.toString() != source)
            return PullError{409, QStringLiteral("%1 and names[%2] would both be copied to '%3' "
                                                 "from different sources")
                                      .arg(shown)
                                      .arg(*j)
                                      .arg(planned.target)};
        byTarget.insert(planned.target, i);
        out->append(planned);
    }
    return std::nullopt;
}

std::optional<PullError> PullPlanner::preview(const QStringList &references, QJsonArray *out) const
{
    QList<PlannedPull> pulls;
    if (auto error = plan(references, &pulls))
        return error;
    for (qsizetype i = 0; i < pulls.size(); ++i) {
        const auto owner = m_tracker.ownerOf(pulls[i].target);
        out->append(QJsonObject{{QStringLiteral("name"), references[i]},
                                {QStringLiteral("source"), pulls[i].source.toString()},
                                {QStringLiteral("harbor_target"), pulls[i].target},
                                {QStringLiteral("active_job_id"),
                                 owner && !owner->isTerminal() ? owner->id : QString()}});
    }
    return std::nullopt;
}

std::optional<PullError> PullPlanner::planRetry(const QString &id, PlannedPull *out,
                                                QString *activeId) const
{
    const auto job = m_tracker.find(id);
    if (!job)
        return PullError{404, QStringLiteral("no pull with job_id '%1'").arg(id)};
    if (job->status != core::PullStatus::Failed)
        return PullError{409, QStringLiteral("pull '%1' is %2; only a failed pull can be retried")
                                  .arg(id, core::PullStates::toString(job->status))};
    const auto source = core::ImageReference::parse(job->source);
    if (!source.ok())
        return PullError{409, QStringLiteral("pull '%1' has no usable source image: %2")
                                  .arg(id, source.error())};
    // The registry policy may have been tightened since the first attempt.
    if (const QString refused = m_settings.registryPolicy.check(source.value()); !refused.isEmpty())
        return PullError{400, QStringLiteral("pull '%1' cannot be retried: %2").arg(id, refused)};
    QString target = job->target;
    if (target.isEmpty()) {
        const auto computed = HarborTarget::of(source.value(), m_settings);
        if (!computed.ok())
            return PullError{409, QStringLiteral("pull '%1': %2").arg(id, computed.error())};
        target = computed.value();
    }
    if (const auto owner = m_tracker.ownerOf(target); owner && !owner->isTerminal()) {
        if (owner->source != source->toString())
            return PullError{409, QStringLiteral("pull '%1' cannot be retried now: its Harbor "
                                                 "target '%2' is being filled by pull '%3' from '%4'")
                                      .arg(id, target, owner->id, owner->source)};
        *activeId = owner->id;
    }
    *out = PlannedPull{source.value(), target};
    return std::nullopt;
}

} // namespace pw::pulls
