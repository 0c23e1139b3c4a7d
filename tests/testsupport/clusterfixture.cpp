#include "clusterfixture.h"

#include "kube/kubeconfig.h"

#include <QFile>

using namespace pw::kube;
using namespace pw::kubesim;

namespace {

ClusterOptions scaled(double timeScale) {
    ClusterOptions options;
    options.timeScale = timeScale;
    return options;
}

} // namespace

ClusterFixture::ClusterFixture(double timeScale)
    : ClusterFixture(scaled(timeScale)) {}

ClusterFixture::ClusterFixture(ClusterOptions options)
    : m_options(std::move(options)) {}

ClusterFixture::~ClusterFixture() {
    delete m_client;
    if (m_sim)
        m_sim->stop();
}

bool ClusterFixture::start() {
    KubeSimConfig config;
    config.token = m_options.token;
    config.timeScale = m_options.timeScale;
    config.demoWorkloads = m_options.demoWorkloads;
    config.logBenchPods = m_options.logBenchPods;
    config.logBenchContainers = 1;
    config.logBenchRate = 1;
    if (!writeScenario(&config))
        return false;
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

bool ClusterFixture::writeScenario(KubeSimConfig *config) {
    if (m_options.scenario.isEmpty())
        return true;
    config->scenarioFile = m_dir.filePath(QStringLiteral("scenario.json"));
    QFile f(config->scenarioFile);
    if (!f.open(QIODevice::WriteOnly) || f.write(m_options.scenario) != m_options.scenario.size()) {
        m_error = QStringLiteral("cannot write %1: %2").arg(config->scenarioFile, f.errorString());
        return false;
    }
    return true;
}
