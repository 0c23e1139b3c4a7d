#pragma once

#include "scenario.h"

#include <QJsonObject>
#include <QString>

namespace pw::kubesim {

// Which image a Job pulls and what the scenario makes of it: the image named by the
// pullwatch.io/source-image annotation, else the first container image a scenario rule
// matches, else the source argument of the crane copy; and the container whose pull fails
// when the outcome is notfound or unauthorized.
struct JobSource {
    QString image;
    int containerIndex = 0; // among the init containers, then the main containers
    OutcomeRule rule;

    static JobSource of(const QJsonObject &job, const Scenario &scenario);
    // An image reference in its normal form (docker.io/library/… spelled out); as given
    // when it does not parse.
    static QString normalised(const QString &image);
};

} // namespace pw::kubesim
