#pragma once

#include "apiclient.h"
#include "connectionbanner.h"

#include <QCoreApplication>
#include <QString>

namespace pw::ui {

// What is wrong, for the banner and the status bar alike (one place decides): the backend
// first (unreachable, token refused, tokens throttled), then the cluster behind it (none
// configured, or not connected). Problem::None with no text when everything works or the
// window is still connecting.
class ConnectionProblem {
    Q_DECLARE_TR_FUNCTIONS(ConnectionProblem)
public:
    using Problem = ConnectionBanner::Problem;

    // `server`: the backend's address as shown; `detail`: why the backend's state is what it
    // is (ApiClient::stateDetail()); `clusterKnown`: whether /metrics has answered yet, and
    // `clusterState` what it said ("connected", …; empty when no cluster is configured).
    static ConnectionProblem assess(ApiClient::State state, const QString &server,
                                    const QString &detail, bool clusterKnown,
                                    const QString &clusterState);

    Problem problem = Problem::None;
    QString text; // the banner's explanation; empty for Problem::None
};

} // namespace pw::ui
