#pragma once

#include "kube/kubecall.h"

#include <QTest>

// The outcome of one KubeCall, awaited on the event loop (no sleeps).
struct KubeOutcome {
    bool done = false;
    pw::kube::KubeError error;
    int status = 0;
    QJsonObject object;
    bool ok() const { return done && error.isNull(); }
    const QJsonObject &json() const { return object; }
};

inline KubeOutcome kubeWait(pw::kube::KubeCall *call, int timeoutMs = 15'000) {
    KubeOutcome out;
    QObject context; // disconnects the lambda if we give up waiting
    QObject::connect(call, &pw::kube::KubeCall::finished, &context, [&out](pw::kube::KubeCall *c) {
        out.done = true;
        out.error = c->error();
        out.status = c->httpStatus();
        out.object = c->object();
    });
    (void)QTest::qWaitFor([&] { return out.done; }, timeoutMs);
    return out;
}
