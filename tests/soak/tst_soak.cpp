// The chaos soak: a real Pullwatch process against a simulated cluster with faults on (watch
// cuts, 410 Expired, lagging watches, log drops), Redis frozen (SIGSTOP/SIGCONT), restarted
// and killed (SIGKILL) and started again, the cluster cut off (its API answering 503, then
// unreachable), and Pullwatch itself restarted once, while pulls run, status subscribers
// listen and log viewers follow chatty pods, each reconnecting on its own (viewers with their
// resume cursor). Each invariant is printed with what was measured, then checked.
// SOAK_SECONDS sets the length (`make soak MINUTES=N`; the CTest version runs 3 minutes).
#include "clusterfixture.h"
#include "clusterproxy.h"
#include "freeport.h"
#include "httpclient.h"
#include "pullwatchprocess.h"
#include "reconnectingsocket.h"
#include "redisprocess.h"
#include "resumingviewer.h"
#include "subscriber.h"

#include "server/wsconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <csignal>
#include <memory>

using namespace pw::kubesim;
using namespace pw::server;

namespace {

int soakSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("SOAK_SECONDS", &ok);
    return ok && s >= 30 ? s : 180;
}

qint64 rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace

class TestSoak : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chaos();

private:
    QJsonObject get(const QUrl &base, const QString &path);
    void countStatus(int status);
    QStringList failedIds(const QUrl &base);

    HttpClient m_http;
    bool m_cut = false;           // the cluster is cut off (503s, then unreachable)
    QMap<int, int> m_statuses;    // answers by status, outside the cut
    QMap<int, int> m_cutStatuses; // answers by status, during the cut
};

QJsonObject TestSoak::get(const QUrl &base, const QString &path)
{
    const HttpResult r = m_http.get(base.resolved(QUrl(path)));
    countStatus(r.status);
    return QJsonDocument::fromJson(r.body).object();
}

void TestSoak::countStatus(int status)
{
    ++(m_cut ? m_cutStatuses : m_statuses)[status];
}

QStringList TestSoak::failedIds(const QUrl &base)
{
    QStringList out;
    for (const QJsonValue &v : get(base, "/images/pull-failed?limit=500")["data"].toArray())
        out.append(v.toObject()["job_id"].toString());
    return out;
}

namespace {

QString statusList(const QMap<int, int> &statuses)
{
    QStringList out;
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        out << QStringLiteral("%1 x %2").arg(it.value()).arg(it.key());
    return out.isEmpty() ? QStringLiteral("none") : out.join(QStringLiteral(", "));
}

// One line of the summary: an invariant, what was measured, and whether it held.
struct Invariant
{
    QString name;
    QString measured;
    bool held;
};

} // namespace

void TestSoak::chaos()
{
    const int seconds = soakSeconds();
    const int kPulls = qEnvironmentVariableIntValue("SOAK_PULLS") > 0
        ? qEnvironmentVariableIntValue("SOAK_PULLS") : 300;
    const int kSubscribers = qEnvironmentVariableIntValue("SOAK_SUBSCRIBERS") > 0
        ? qEnvironmentVariableIntValue("SOAK_SUBSCRIBERS") : 200;
    const int kCutMs = 8000; // the cluster cut: 503s for half of it, then unreachable
    ClusterFixture cluster(0.05);
    QVERIFY2(cluster.start(), qPrintable(cluster.error()));
    KubeSim *sim = cluster.sim();
    // Pullwatch reaches the cluster through a relay the soak can cut.
    ClusterProxy proxy;
    QVERIFY(proxy.listen(sim->port()));
    QTemporaryDir dir;
    const QString kubeconfig = dir.filePath("kubeconfig");
    {
        QFile in(cluster.kubeconfigPath());
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readAll();
        const QByteArray simServer = "127.0.0.1:" + QByteArray::number(sim->port());
        QVERIFY(text.contains(simServer));
        text.replace(simServer, "127.0.0.1:" + QByteArray::number(proxy.port()));
        QFile out(kubeconfig);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QVERIFY(out.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(out.write(text), text.size());
    }
    RedisProcess redis;
    // Persistent, as the packaged Redis is, and with an append-only file: what it acknowledged
    // survives kill -9 (a snapshot alone would lose what came after it).
    redis.setExtraArguments({"--appendonly", "yes", "--save", "3600 1"});
    QVERIFY2(redis.start(), qPrintable(redis.error()));

    // A fixed port: subscribers and viewers reconnect to the same address after the restart.
    const QString listen = QStringLiteral("127.0.0.1:%1").arg(FreePort::pick());
    const QStringList args{"--headless", "--listen", listen, "--kubeconfig", kubeconfig,
                           "--data-dir", dir.filePath("data"), "--redis", redis.url(),
                           "--pull-backoff-grace", "1",
                           // Simulated time runs 20 times as fast: the chatty pulls the viewers
                           // follow outlive the run (and are cancelled at its end).
                           "--job-deadline", QString::number(qBound(1800, seconds * 40, 86400))};
    auto pullwatch = std::make_unique<PullwatchProcess>();
    QVERIFY2(pullwatch->start(args), qPrintable(pullwatch->error()));
    const QUrl base = pullwatch->baseUrl();
    QTRY_COMPARE_WITH_TIMEOUT(m_http.get(base.resolved(QUrl("/readyz"))).status, 200, 20'000);

    // Faults on for the whole run.
    sim->setWatchCutInterval(3000);
    sim->setWatchLag(QStringLiteral("pods"), 300);
    sim->setLogDropEveryLines(500);

    std::vector<std::unique_ptr<Subscriber>> subscribers;
    for (int i = 0; i < kSubscribers; ++i) {
        subscribers.push_back(std::make_unique<Subscriber>());
        subscribers.back()->open(base);
    }
    auto allSubscribed = [&] {
        return std::all_of(subscribers.begin(), subscribers.end(),
                           [](const auto &s) { return s->isConnected(); });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allSubscribed(), 20'000);

    // Log viewers: kViewers over kChatty endless chatty pulls, by job, through upstream drops
    // and the restart.
    const int kChatty = 4;
    const int kViewers = qEnvironmentVariableIntValue("SOAK_VIEWERS") > 0
        ? qEnvironmentVariableIntValue("SOAK_VIEWERS") : 20;
    // Fast enough that each shared log stream's bounded ring (WsConfig::ringLines, 100,000
    // lines) is full before RSS is measured after warm-up at 60 % of the run: the streams
    // begin again at the restart (30 %) with the whole log so far.
    const int chattyRate = int(qint64(WsConfig{}.ringLines) * 125 / 100 / (seconds * 6 / 10)) + 1;
    sim->setChattyRate(chattyRate);
    QStringList chattyIds;
    for (int i = 0; i < kChatty; ++i) {
        const HttpResult r = m_http.send(
            "POST", base.resolved(QUrl("/images/pull")),
            QStringLiteral(R"({"names":["soak/chatty-%1:1"]})").arg(i).toUtf8());
        countStatus(r.status);
        QCOMPARE(r.status, 200);
        chattyIds.append(QJsonDocument::fromJson(r.body).object()["data"].toObject()["job_ids"]
                             .toArray().first().toString());
    }
    std::vector<std::unique_ptr<ResumingViewer>> viewers;
    for (int i = 0; i < kViewers; ++i)
        viewers.push_back(std::make_unique<ResumingViewer>(base, chattyIds[i % kChatty]));

    QElapsedTimer clock;
    clock.start();
    const qint64 runMs = qint64(seconds) * 1000;
    QStringList ids;
    QStringList failedBeforeRestart;
    bool restarted = false, redisStopped = false, redisRestarted = false, redisKilled = false;
    qint64 cutAt = -1;
    qint64 rssWarm = -1;
    int sent = 0;
    // Pulls are started evenly over the first 70 % of the run; the rest lets them end.
    while (clock.elapsed() < runMs) {
        const qint64 t = clock.elapsed();
        const int due = int(qMin<qint64>(kPulls, kPulls * t / (runMs * 7 / 10) + 1));
        while (sent < due) {
            const QString kind = sent % 10 == 3 ? QStringLiteral("team/notfound-soak")
                : sent % 10 == 7                ? QStringLiteral("team/pushfail-soak")
                                                : QStringLiteral("soak/app");
            const QByteArray body =
                QStringLiteral(R"({"names":["%1-%2:1"]})").arg(kind).arg(sent).toUtf8();
            const HttpResult r = m_http.send("POST", base.resolved(QUrl("/images/pull")), body);
            countStatus(r.status);
            if (r.status == 200) {
                for (const QJsonValue &id : QJsonDocument::fromJson(r.body)
                                                .object()["data"].toObject()["job_ids"].toArray())
                    ids.append(id.toString());
                ++sent;
            } else {
                break; // 503/429: try again on the next round
            }
        }
        // Redis frozen (SIGSTOP) for 3 s, then two watches answered 410.
        if (!redisStopped && t > runMs * 10 / 100) {
            redisStopped = true;
            ::kill(pid_t(redis.processId()), SIGSTOP);
            QTest::qWait(3000);
            ::kill(pid_t(redis.processId()), SIGCONT);
            sim->failNextWatches(2);
        }
        // Redis stopped gracefully and started again on its port.
        if (!redisRestarted && t > runMs * 20 / 100) {
            redisRestarted = true;
            QVERIFY2(redis.restart(), qPrintable(redis.error()));
        }
        // Redis killed (SIGKILL, as by a crash or the OOM killer) and started again.
        if (!redisKilled && t > runMs * 25 / 100) {
            redisKilled = true;
            redis.kill();
            QVERIFY2(redis.start(), qPrintable(redis.error()));
        }
        // Pullwatch restarted (SIGTERM) on the same port, data directory and Redis; the
        // subscribers and viewers reconnect on their own.
        if (!restarted && t > runMs * 30 / 100) {
            restarted = true;
            failedBeforeRestart = failedIds(base);
            QCOMPARE(pullwatch->terminate(10'000), 0);
            pullwatch = std::make_unique<PullwatchProcess>();
            QVERIFY2(pullwatch->start(args), qPrintable(pullwatch->error()));
            QCOMPARE(pullwatch->baseUrl(), base);
            QTRY_COMPARE_WITH_TIMEOUT(m_http.get(base.resolved(QUrl("/readyz"))).status, 200,
                                      20'000);
            QTRY_VERIFY_WITH_TIMEOUT(allSubscribed(), 20'000);
            const QStringList after = failedIds(base);
            for (const QString &id : std::as_const(failedBeforeRestart))
                QVERIFY2(after.contains(id), qPrintable("failed history lost " + id));
        }
        // The cluster cut off: its API answers 503, then nothing listens.
        if (restarted && cutAt < 0 && t > runMs * 35 / 100) {
            cutAt = t;
            m_cut = true;
            proxy.setState(ClusterProxy::State::Answering503);
        }
        if (m_cut && t > cutAt + kCutMs / 2)
            proxy.setState(ClusterProxy::State::Unreachable);
        if (m_cut && t > cutAt + kCutMs) {
            proxy.setState(ClusterProxy::State::Relaying);
            m_cut = false;
        }
        if (cutAt >= 0 && !m_cut && rssWarm < 0 && t > runMs * 60 / 100)
            rssWarm = rssKiB(pullwatch->process().processId());
        QTest::qWait(200);
    }
    QVERIFY2(!m_cut, "the run is too short for its phases");
    QCOMPARE(sent, kPulls);
    // The chatty pulls end only at their deadline: those still running are cancelled (a
    // finished pull cannot be, 409).
    for (const QString &id : std::as_const(chattyIds)) {
        const QString status =
            get(base, "/images/pull/" + id)["data"].toObject()["status"].toString();
        if (status != QStringLiteral("completed") && status != QStringLiteral("failed")) {
            const HttpResult r =
                m_http.send("DELETE", base.resolved(QUrl("/images/pull/" + id)), {});
            if (r.status == 409) { // it ended meanwhile: only then is 409 right
                const QString now =
                    get(base, "/images/pull/" + id)["data"].toObject()["status"].toString();
                QVERIFY2(now == QStringLiteral("completed") || now == QStringLiteral("failed"),
                         qPrintable("409 for cancelling a running pull " + id));
            } else {
                countStatus(r.status);
            }
        }
        ids.append(id);
    }

    // Every pull ends, in exactly one final state.
    QMap<QString, QString> finalState;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        finalState.clear();
        for (const QString &id : std::as_const(ids)) {
            const QString s = get(base, "/images/pull/" + id)["data"].toObject()["status"].toString();
            if (s == QStringLiteral("completed") || s == QStringLiteral("failed"))
                finalState[id] = s;
        }
        return finalState.size() == ids.size();
    }(), 120'000);
    const qint64 rssEnd = rssKiB(pullwatch->process().processId());
    QTest::qWait(1000); // the last status messages reach the subscribers
    for (auto &s : subscribers)
        s->stop();
    for (auto &v : viewers)
        v->stop();

    // Every final pull the history keeps as failed, and only those.
    const QStringList failedAtEnd = failedIds(base);
    int failed = 0, missingFromHistory = 0;
    for (auto it = finalState.cbegin(); it != finalState.cend(); ++it) {
        if (it.value() == QStringLiteral("failed")) {
            ++failed;
            missingFromHistory += failedAtEnd.contains(it.key()) ? 0 : 1;
        }
    }
    Subscriber::Violations total;
    int seenFinalTwice = 0, subscriberSessions = 0, subscribersNotBack = 0;
    for (const auto &s : subscribers) {
        total.backwards += s->violations().backwards;
        total.duplicates += s->violations().duplicates;
        total.afterFinal += s->violations().afterFinal;
        // What a subscriber saw is kept across its sessions: a pull ends once for it.
        for (int n : s->finals())
            seenFinalTwice += n > 1 ? 1 : 0;
        subscriberSessions += s->sessions();
        subscribersNotBack += s->sessions() >= 2 ? 0 : 1;
    }
    qint64 lines = 0, missed = 0, missedAcrossRestart = 0, replayed = 0;
    int viewerErrors = 0, viewerSessions = 0, viewersNotResumed = 0, silentViewers = 0;
    for (const auto &v : viewers) {
        lines += v->lines;
        missed += v->reportedMissed;
        missedAcrossRestart += v->missedAcrossRestart;
        replayed += v->replayed;
        viewerSessions += v->sessions();
        viewersNotResumed += v->sessions() >= 2 && v->restarts >= 1 ? 0 : 1;
        silentViewers += v->lines > 0 ? 0 : 1;
        if (!v->errors.isEmpty() && viewerErrors == 0)
            qInfo().noquote() << "viewer:" << v->errors.join(QStringLiteral("; "));
        viewerErrors += int(v->errors.size());
    }
    int unexpected = 0, unexpectedInCut = 0;
    for (auto it = m_statuses.cbegin(); it != m_statuses.cend(); ++it)
        unexpected += it.key() / 100 == 2 ? 0 : it.value();
    for (auto it = m_cutStatuses.cbegin(); it != m_cutStatuses.cend(); ++it)
        unexpectedInCut += it.key() / 100 == 2 || it.key() == 503 || it.key() == 429 ? 0 : it.value();

    const QList<Invariant> invariants{
        {QStringLiteral("every pull reached exactly one final state"),
         QStringLiteral("%1 of %2 (%3 failed)").arg(finalState.size()).arg(ids.size()).arg(failed),
         finalState.size() == ids.size()},
        {QStringLiteral("failed history complete across the restart and at the end"),
         QStringLiteral("%1 of %2 failed pulls missing at the end, %3 known at the restart")
             .arg(missingFromHistory).arg(failed).arg(failedBeforeRestart.size()),
         missingFromHistory == 0},
        {QStringLiteral("subscribers saw their pulls move forward, once, and end once, across "
                        "their reconnections"),
         QStringLiteral("%1 backwards, %2 duplicates, %3 after the final state, %4 pulls seen "
                        "ending twice (%5 subscribers, %6 sessions)")
             .arg(total.backwards).arg(total.duplicates).arg(total.afterFinal)
             .arg(seenFinalTwice).arg(kSubscribers).arg(subscriberSessions),
         total.backwards == 0 && total.duplicates == 0 && total.afterFinal == 0
             && seenFinalTwice == 0},
        {QStringLiteral("every subscriber reconnected after the restart"),
         QStringLiteral("%1 did not").arg(subscribersNotBack), subscribersNotBack == 0},
        {QStringLiteral("viewers got every line once and in order, or a gap message that "
                        "accounts for it, across the restart"),
         QStringLiteral("%1 lines; %2 missed in counted gaps, %3 missed across the restart "
                        "(after its restarted gap), %4 replayed and dropped; %5 errors")
             .arg(lines).arg(missed).arg(missedAcrossRestart).arg(replayed).arg(viewerErrors),
         viewerErrors == 0},
        {QStringLiteral("every viewer resumed with its cursor after the restart and read lines"),
         QStringLiteral("%1 viewers, %2 sessions; %3 not resumed, %4 silent")
             .arg(kViewers).arg(viewerSessions).arg(viewersNotResumed).arg(silentViewers),
         viewersNotResumed == 0 && silentViewers == 0},
        {QStringLiteral("no non-2xx answer outside the cluster cut"),
         QStringLiteral("%1 (%2 unexpected)").arg(statusList(m_statuses)).arg(unexpected),
         unexpected == 0},
        {QStringLiteral("during the cluster cut only 2xx or the documented 503/429"),
         QStringLiteral("%1 (%2 unexpected); the cluster answered %3 requests 503 (%4 ms cut)")
             .arg(statusList(m_cutStatuses)).arg(unexpectedInCut).arg(proxy.answered503())
             .arg(kCutMs),
         unexpectedInCut == 0},
        {QStringLiteral("server RSS at the end within 1.2 x its value after warm-up"),
         QStringLiteral("%1 KiB after warm-up, %2 KiB at the end").arg(rssWarm).arg(rssEnd),
         rssWarm > 0 && rssEnd > 0 && rssEnd <= rssWarm * 12 / 10},
    };
    qInfo().noquote() << QStringLiteral("soak %1 s: %2 pulls, %3 subscribers, %4 viewers of %5 "
                                        "chatty pulls (%6 lines/s each); watches opened %7")
                             .arg(seconds).arg(ids.size()).arg(kSubscribers).arg(kViewers)
                             .arg(kChatty).arg(chattyRate).arg(sim->watchesOpened());
    for (const Invariant &i : invariants)
        qInfo().noquote() << QStringLiteral("  [%1] %2: %3")
                                 .arg(i.held ? QStringLiteral("pass") : QStringLiteral("FAIL"),
                                      i.name, i.measured);
    for (const Invariant &i : invariants)
        QVERIFY2(i.held, qPrintable(i.name + QStringLiteral(": ") + i.measured));
    QCOMPARE(pullwatch->terminate(10'000), 0);
}

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
