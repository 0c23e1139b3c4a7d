#pragma once

#include "kube/kubeclient.h"
#include "kubesim/kubesim.h"

#include <QTemporaryDir>

#include <memory>

// A simulated cluster in this process, with token auth, and a real client pointed at it
// through a kubeconfig, as pullwatch --demo does. Durations run `timeScale` times as long.
class ClusterFixture
{
public:
    explicit ClusterFixture(double timeScale = 0.1);
    ~ClusterFixture();

    bool start();
    QString error() const { return m_error; }
    KubeSim *sim() const { return m_sim.get(); }
    KubeClient *client() const { return m_client; }
    QString kubeconfigPath() const { return m_dir.filePath(QStringLiteral("kubeconfig")); }

private:
    double m_timeScale;
    QTemporaryDir m_dir;
    std::unique_ptr<KubeSim> m_sim;
    KubeClient *m_client = nullptr;
    QString m_error;
};
