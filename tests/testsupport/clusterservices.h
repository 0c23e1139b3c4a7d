#pragma once

// What an ApiServer serves from on a simulated cluster: the cluster, a started pull service
// and an in-process response cache, for the suites that test the server with every service.

#include "clusterfixture.h"

#include "cache/responsecache.h"
#include "core/clock.h"
#include "pulls/pullservice.h"
#include "server/apiservices.h"

#include <QSignalSpy>

#include <memory>

class ClusterServices
{
public:
    // Starts the cluster and waits until the pull service has listed it.
    bool start(QString *error)
    {
        m_cluster = std::make_unique<ClusterFixture>(0.05);
        if (!m_cluster->start()) {
            *error = m_cluster->error();
            return false;
        }
        m_pulls = std::make_unique<pw::pulls::PullService>(m_cluster->client(), pw::pulls::PullSettings{}, nullptr,
                                                pw::core::Clock::system());
        QSignalSpy ready(m_pulls.get(), &pw::pulls::PullService::ready);
        m_pulls->start();
        if (!ready.wait(10'000)) {
            *error = QStringLiteral("the pull service did not list the cluster in 10 s");
            return false;
        }
        m_cache = std::make_unique<pw::cache::ResponseCache>(pw::core::Clock::system(), nullptr);
        return true;
    }
    // The pull service first: it uses the cluster's client.
    void stop()
    {
        m_cache.reset();
        m_pulls.reset();
        m_cluster.reset();
    }

    pw::server::ApiServices services() const
    {
        return pw::server::ApiServices{m_pulls.get(), m_cache.get(), m_cluster->client(), {}};
    }
    ClusterFixture *cluster() const { return m_cluster.get(); }

private:
    std::unique_ptr<ClusterFixture> m_cluster;
    std::unique_ptr<pw::pulls::PullService> m_pulls;
    std::unique_ptr<pw::cache::ResponseCache> m_cache;
};
