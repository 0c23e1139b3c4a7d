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
        m_pulls = std::make_unique<PullService>(m_cluster->client(), PullSettings{}, nullptr,
                                                Clock::system());
        QSignalSpy ready(m_pulls.get(), &PullService::ready);
        m_pulls->start();
        if (!ready.wait(10'000)) {
            *error = QStringLiteral("the pull service did not list the cluster in 10 s");
            return false;
        }
        m_cache = std::make_unique<ResponseCache>(Clock::system(), nullptr);
        return true;
    }
    // The pull service first: it uses the cluster's client.
    void stop()
    {
        m_cache.reset();
        m_pulls.reset();
        m_cluster.reset();
    }

    ApiServices services() const
    {
        return ApiServices{m_pulls.get(), m_cache.get(), m_cluster->client(), {}};
    }
    ClusterFixture *cluster() const { return m_cluster.get(); }

private:
    std::unique_ptr<ClusterFixture> m_cluster;
    std::unique_ptr<PullService> m_pulls;
    std::unique_ptr<ResponseCache> m_cache;
};
