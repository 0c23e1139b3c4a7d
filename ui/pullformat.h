#pragma once

#include "core/pulljob.h"

#include <QDateTime>
#include <QString>

namespace pw::ui {

// How the window writes pulls, times and reasons (shared by the models and the detail pane).
namespace PullFormat {
QString age(const QDateTime &since, const QDateTime &now); // "45s", "3m 12s", "2h 5m", "4d"
QString time(const QDateTime &time);                       // local "yyyy-MM-dd HH:mm:ss"
QString reason(core::FailureReason reason);                      // "Image not found"
QString tooltip(const core::PullJob &pull);
// The detail pane of a failed pull: message, reason, events, both log tails (HTML).
QString detailHtml(const core::PullJob &pull);
} // namespace PullFormat

} // namespace pw::ui
