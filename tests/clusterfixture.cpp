#include "clusterfixture.h"

#include "kube/kubeconfig.h"

ClusterFixture::ClusterFixture(double timeScale)
    : m_timeScale(timeScale)
{
}

ClusterFixture::~ClusterFixture()
{
    delete m_client;
    if (m_sim)
        m_sim->stop();
}

bool ClusterFixture::start()
{
    KubeSimConfig config;
    config.token = QStringLiteral("fixture-token");
    config.timeScale = m_timeScale;
    m_sim = std::make_unique<KubeSim>(config);
    if (!m_sim->start(&m_error))
        return false;
    if (!m_sim->writeKubeconfig(kubeconfigPath(), &m_error))
        return false;
    KubeConfigLoadOptions load;
    load.explicitPath = kubeconfigPath();
    const auto kubeconfig = KubeConfig::load(load);
    if (!kubeconfig.ok()) {
        m_error = kubeconfig.error();
        return false;
    }
    const auto client = KubeClient::create(kubeconfig.value());
    if (!client.ok()) {
        m_error = client.error();
        return false;
    }
    m_client = client.value();
    return true;
}
