#pragma once

#include "clusterfixture.h"

#include "cache/responsecache.h"
#include "core/pullhistory.h"
#include "kube/kubeclient.h"
#include "kubesim/kubesim.h"
#include "pulls/pullservice.h"
#include "server/apiserver.h"
#include "server/wsapi.h"

#include <QUrl>

#include <memory>

namespace WsTest {

// A pull history that keeps nothing.
class MemoryHistory : public pw::core::PullHistory {
public:
    void load(Loaded done) override;
    void record(const pw::core::PullJob &) override {}
    void flush() override {}
    QString backendName() const override { return QStringLiteral("memory"); }
};

// Simulated cluster (ClusterFixture: no token, the scenario's time) + client + pull service
// + API server, all in this thread.
class Fixture {
public:
    ~Fixture();

    // `scenario`: the kubesim scenario file's JSON (empty: built-in).
    bool start(const pw::server::WsConfig &ws = {}, const QByteArray &scenario = {}, bool demo = false);

    // `path` on the server as a ws:// and as an http:// URL.
    QUrl url(const QString &path, const QString &query = {}) const;
    QUrl httpUrl(const QString &path, const QString &query = {}) const;
    const pw::server::WsStats &stats() const { return server->ws()->stats(); }

    // Starts one pull and returns its job id (empty on failure).
    QString startPull(const QString &image);
    // The pod of a job once the pull service has seen it.
    QString podOf(const QString &jobId);

    int logBenchPods = 0; // set before start(): that many plain logging pods in "demo"
    std::unique_ptr<ClusterFixture> cluster;
    pw::kubesim::KubeSim *sim = nullptr;     // the cluster's
    pw::kube::KubeClient *kube = nullptr; // the cluster's client
    MemoryHistory history;
    std::unique_ptr<pw::pulls::PullService> pulls;
    std::unique_ptr<pw::cache::ResponseCache> cache;
    std::unique_ptr<pw::server::ApiServer> server;
};

// A viewer of `url` reads 3,000 lines and leaves, the last one: its shared stream ends. Where
// it would resume, and the id of its stream (from its last "stream" message).
void readAndLeave(Fixture &f, const QUrl &url, qint64 *resumeAt, QString *streamId);

} // namespace WsTest
