#include "connectionproblem.h"

namespace pw::ui {

ConnectionProblem ConnectionProblem::assess(ApiClient::State state, const QString &server,
                                            const QString &detail, bool clusterKnown,
                                            const QString &clusterState) {
    switch (state) {
    case ApiClient::State::Connecting:
        return {};
    case ApiClient::State::Unreachable:
        return {Problem::Unreachable,
                tr("The Pullwatch backend at %1 is unreachable: %2. The window reconnects by "
                   "itself.")
                    .arg(server, detail)};
    case ApiClient::State::Unauthorized:
        return {Problem::Unauthorized,
                tr("The Pullwatch backend at %1 did not let this window in: %2. Enter the API "
                   "token (the server's --token-file); nothing is retried until then.")
                    .arg(server, detail)};
    case ApiClient::State::Throttled:
        return {Problem::Throttled,
                tr("The Pullwatch backend at %1 is not accepting tokens from here for now: %2.")
                    .arg(server, detail)};
    case ApiClient::State::Connected:
        break;
    }
    if (!clusterKnown || clusterState == u"connected")
        return {};
    if (clusterState.isEmpty())
        return {Problem::NoCluster,
                tr("No cluster: the backend at %1 has no Kubernetes cluster configured, so "
                   "there are no pulls and no logs. Choose one with Connect… (a kubeconfig "
                   "context or the demo cluster), or start pullwatch with --kubeconfig FILE, "
                   "--context NAME or --demo.")
                    .arg(server)};
    return {Problem::ClusterDown,
            tr("The cluster is %1: the backend at %2 cannot use the Kubernetes API. Check the "
               "kubeconfig's server address and credentials (Connect… picks another); the "
               "backend keeps trying.")
                .arg(clusterState, server)};
}

} // namespace pw::ui
