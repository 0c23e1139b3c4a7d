#pragma once

#include "kube/kubeclient.h"
#include "kubesim/kubesim.h"

#include <QByteArray>
#include <QTemporaryDir>

#include <memory>

// What the simulated cluster of a ClusterFixture is like.
struct ClusterOptions {
    double timeScale = 0.1; // durations run this many times as long; 0: the scenario's
    QString token = QStringLiteral("fixture-token"); // the bearer token it wants; empty: none
    bool demoWorkloads = false;                      // kubesim's demo namespace and its workloads
    QByteArray scenario; // a scenario file's JSON; empty: the built-in one
    int logBenchPods = 0; // pods labelled app=log-bench in "demo", one container, a line a second
};

// A simulated cluster in this process and a real client pointed at it through a kubeconfig,
// as pullwatch --demo does.
class ClusterFixture {
public:
    explicit ClusterFixture(double timeScale = 0.1);
    explicit ClusterFixture(ClusterOptions options);
    ~ClusterFixture();

    bool start();
    QString error() const { return m_error; }
    pw::kubesim::KubeSim *sim() const { return m_sim.get(); }
    pw::kube::KubeClient *client() const { return m_client; }
    QString kubeconfigPath() const { return m_dir.filePath(QStringLiteral("kubeconfig")); }

private:
    bool writeScenario(pw::kubesim::KubeSimConfig *config);

    ClusterOptions m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<pw::kubesim::KubeSim> m_sim;
    pw::kube::KubeClient *m_client = nullptr;
    QString m_error;
};
