#pragma once

// QTest::toString overloads for the states of backend/kube, so that a failed QCOMPARE prints
// the state's name.

#include "kube/kubeclient.h"
#include "kube/kubeerror.h"
#include "kube/podlogstream.h"

#include <QTest>

namespace pw::kube {

inline char *toString(KubeClient::ConnectionState state)
{
    return QTest::toString(KubeClient::stateName(state));
}

inline char *toString(PodLogStream::State state)
{
    switch (state) {
    case PodLogStream::State::Idle:
        return qstrdup("Idle");
    case PodLogStream::State::Connecting:
        return qstrdup("Connecting");
    case PodLogStream::State::Streaming:
        return qstrdup("Streaming");
    case PodLogStream::State::Reconnecting:
        return qstrdup("Reconnecting");
    case PodLogStream::State::Ended:
        return qstrdup("Ended");
    }
    return QTest::toString(int(state));
}

inline char *toString(KubeError::Kind kind)
{
    switch (kind) {
    case KubeError::Kind::None:
        return qstrdup("None");
    case KubeError::Kind::Network:
        return qstrdup("Network");
    case KubeError::Kind::Api:
        return qstrdup("Api");
    case KubeError::Kind::Invalid:
        return qstrdup("Invalid");
    case KubeError::Kind::Protocol:
        return qstrdup("Protocol");
    case KubeError::Kind::Auth:
        return qstrdup("Auth");
    }
    return QTest::toString(int(kind));
}

} // namespace pw::kube
