#include "wsfixture.h"

#include "wslogclient.h"
#include "wswait.h"

#include "core/clock.h"
#include "logs/logfanouts.h"

#include <QTest>
#include <QTimer>

using namespace pw::cache;
using namespace pw::core;
using namespace pw::pulls;
using namespace pw::server;

namespace WsTest {

void MemoryHistory::load(Loaded done) {
    QTimer::singleShot(0, this, [done] { done({}, {}); });
}

Fixture::~Fixture() {
    if (server)
        server->stop();
    server.reset();
    if (pulls)
        pulls->stop();
    pulls.reset();
    cache.reset();
    cluster.reset();
}

bool Fixture::start(const WsConfig &ws, const QByteArray &scenario, bool demo) {
    ClusterOptions options;
    options.timeScale = 0;
    options.token.clear();
    options.demoWorkloads = demo;
    options.logBenchPods = logBenchPods;
    options.scenario = scenario;
    cluster = std::make_unique<ClusterFixture>(options);
    if (!cluster->start()) {
        qWarning() << cluster->error();
        return false;
    }
    sim = cluster->sim();
    kube = cluster->client();
    PullSettings settings;
    settings.pullBackOffGraceSeconds = 1;
    pulls = std::make_unique<PullService>(kube, settings, &history, Clock::system());
    pulls->start();
    cache = std::make_unique<ResponseCache>(Clock::system(), nullptr);
    ServerConfig sc;
    sc.port = 0;
    ApiServices services{pulls.get(), cache.get(), kube, ws};
    server = std::make_unique<ApiServer>(sc, services);
    QString error;
    if (!server->start(&error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

QUrl Fixture::url(const QString &path, const QString &query) const {
    QUrl u = httpUrl(path, query);
    u.setScheme(QStringLiteral("ws"));
    return u;
}

QUrl Fixture::httpUrl(const QString &path, const QString &query) const {
    QUrl u(server->baseUrl() + path);
    if (!query.isEmpty())
        u.setQuery(query);
    return u;
}

QString Fixture::startPull(const QString &image) {
    QString id;
    bool done = false;
    pulls->startPulls({image}, [&](const QStringList &ids, const std::optional<PullError> &e) {
        if (!e && !ids.isEmpty())
            id = ids.first();
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return {};
    return id;
}

QString Fixture::podOf(const QString &jobId) {
    QString pod;
    (void)QTest::qWaitFor(
        [&] {
            const auto job = pulls->tracker()->find(jobId);
            if (job)
                pod = job->podName;
            return !pod.isEmpty();
        },
        20000);
    return pod;
}

void readAndLeave(Fixture &f, const QUrl &url, qint64 *resumeAt, QString *streamId) {
    LogClient viewer(url);
    QVERIFY(waitFor([&] { return viewer.received >= 3000; }, 30000));
    QVERIFY2(viewer.errors.isEmpty(), qPrintable(viewer.errors.join(u'\n')));
    *resumeAt = viewer.nextSeq;
    *streamId = viewer.last(QStringLiteral("stream"), QStringLiteral("stream"))
                    .value(QStringLiteral("stream"))
                    .toString();
    viewer.socket.close();
    // The only viewer left: the shared stream is gone.
    QVERIFY(waitFor([&] { return f.server->ws()->logStreams()->streamCount() == 0; }, 10000));
}

} // namespace WsTest
