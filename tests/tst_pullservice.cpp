#include "clusterfixture.h"
#include "coretostring.h"

#include "core/clock.h"
#include "kube/kubecall.h"
#include "pulls/failurecause.h"
#include "pulls/pullservice.h"
#include "pulls/sqlitehistory.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace pw::core;
using namespace pw::kube;
using namespace pw::pulls;

// The pull service against the simulated cluster over real HTTP: outcomes and reasons,
// progress order, duplicates, retry, cancel, history and rediscovery after a restart.
class TestPullService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void batchReachesRightFinalStates();
    void failureReasonSurvivesALaggingPodWatch();
    void duplicatesShareAPull();
    void foreignRegistryGetsItsOwnTarget();
    void targetOwnedByAnotherSourceIsRefused();
    void twoReplicasMakeOneJobPerImage();
    void finishedJobNameIsNotReused();
    void retryFollowsTheRegistryPolicy();
    void invalidNameCreatesNothing();
    void retryLinksPulls();
    void cancelDeletesTheJob();
    void restartKeepsHistoryAndRediscovers();
    void sqliteHistoryKeepsTheNewest();

private:
    std::unique_ptr<PullService> service(PullHistory *history = nullptr);
    QStringList start(PullService *s, const QStringList &refs);
    // The error a request gets (nullopt when it was accepted, or no answer came).
    std::optional<PullError> refused(PullService *s, const QStringList &refs);
    PullSettings m_settings;
    std::unique_ptr<ClusterFixture> m_cluster;
    QTemporaryDir m_dir;
};

void TestPullService::init()
{
    m_cluster = std::make_unique<ClusterFixture>(0.05);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->error()));
    m_settings = PullSettings();
    m_settings.pullBackOffGraceSeconds = 1;
}

void TestPullService::cleanup()
{
    m_cluster.reset();
}

std::unique_ptr<PullService> TestPullService::service(PullHistory *history)
{
    auto s = std::make_unique<PullService>(m_cluster->client(), m_settings, history, Clock::system());
    QSignalSpy ready(s.get(), &PullService::ready);
    s->start();
    if (!ready.wait(10'000))
        qWarning("pull service did not list the cluster");
    return s;
}

QStringList TestPullService::start(PullService *s, const QStringList &refs)
{
    QStringList ids;
    std::optional<PullError> error;
    bool done = false;
    s->startPulls(refs, [&](const QStringList &i, const std::optional<PullError> &e) {
        ids = i;
        error = e;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10'000) || error)
        qWarning("start failed: %s", error ? qPrintable(error->message) : "timeout");
    return ids;
}

// A pull that finished before this service started (another rule, another policy).
static PullJob finishedPull(const QString &id, const QString &source, const QString &target, PullStatus status)
{
    PullJob job;
    job.id = id;
    job.source = source;
    job.target = target;
    job.status = status;
    job.stage = status == PullStatus::Completed ? PullStage::Completed : PullStage::Failed;
    job.finishedAt = QDateTime::currentDateTimeUtc();
    return job;
}

std::optional<PullError> TestPullService::refused(PullService *s, const QStringList &refs)
{
    std::optional<PullError> error;
    bool done = false;
    s->startPulls(refs, [&](const QStringList &, const std::optional<PullError> &e) {
        error = e;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10'000))
        qWarning("no answer to the request");
    return error;
}

void TestPullService::batchReachesRightFinalStates()
{
    auto s = service();
    QHash<QString, QList<int>> progress; // every announced progress, per pull
    connect(s->tracker(), &PullTracker::changed, this, [&](const PullJob &job) {
        progress[job.id].append(job.status == PullStatus::Failed ? -1 : job.progress);
    });
    QStringList refs;
    QHash<QString, FailureReason> expected;
    for (int i = 0; i < 8; ++i) {
        refs << QStringLiteral("nginx:1.%1").arg(i);
        expected.insert(refs.last(), FailureReason::None);
    }
    for (int i = 0; i < 4; ++i) {
        refs << QStringLiteral("team/notfound-%1:1").arg(i);
        expected.insert(refs.last(), FailureReason::ImageNotFound);
        refs << QStringLiteral("private/unauthorized-%1:1").arg(i);
        expected.insert(refs.last(), FailureReason::Unauthorized);
        refs << QStringLiteral("team/pushfail-%1:1").arg(i);
        expected.insert(refs.last(), FailureReason::PushFailed);
    }
    const QStringList ids = start(s.get(), refs);
    QCOMPARE(ids.size(), 20);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 20);
    QTRY_VERIFY_WITH_TIMEOUT(s->tracker()->activeCount() == 0, 60'000);
    for (int i = 0; i < refs.size(); ++i) {
        const auto job = s->tracker()->find(ids[i]);
        QVERIFY(job);
        const FailureReason want = expected.value(refs[i]);
        QCOMPARE(job->status, want == FailureReason::None ? PullStatus::Completed : PullStatus::Failed);
        QVERIFY2(job->reason == want, qPrintable(refs[i] + " → " + PullStates::toString(job->reason)));
        if (want == FailureReason::None) {
            QCOMPARE(job->progress, 100);
            QCOMPARE(job->message, "Image pushed to Harbor successfully");
        }
        // Progress never went backwards, except to fail.
        const QList<int> seen = progress.value(ids[i]);
        QVERIFY(!seen.isEmpty());
        for (int k = 1; k < seen.size(); ++k)
            QVERIFY2(seen[k] == -1 || seen[k] >= seen[k - 1], qPrintable(refs[i]));
    }
    // Failures carry their explanation: events, and the push log for a push failure.
    const auto pushFailed = s->tracker()->find(ids[refs.indexOf("team/pushfail-0:1")]);
    QTRY_VERIFY(!s->tracker()->find(pushFailed->id)->events.isEmpty());
    QTRY_VERIFY(!s->tracker()->find(pushFailed->id)->pushLogTail.isEmpty());
    const auto notFound = s->tracker()->find(ids[refs.indexOf("team/notfound-0:1")]);
    QTRY_VERIFY(!s->tracker()->find(notFound->id)->events.isEmpty());
    QCOMPARE(s->tracker()->failed(50).size(), 12);
}

void TestPullService::failureReasonSurvivesALaggingPodWatch()
{
    // The Job's Failed condition arrives long before the pod status that says the push failed:
    // the verdict must still be PushFailed, not the Job's generic BackoffLimitExceeded.
    m_cluster->sim()->setWatchLag(QStringLiteral("pods"), 3000);
    auto s = service();
    const QStringList ids = start(s.get(), {QStringLiteral("team/pushfail-lag:1")});
    QCOMPARE(ids.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(s->tracker()->find(ids[0])->isTerminal(), 30'000);
    const auto job = s->tracker()->find(ids[0]);
    QVERIFY2(job->reason == FailureReason::PushFailed, qPrintable(PullStates::toString(job->reason)));
    // Once the log tails are read the message leads with crane's error line; the exit code follows.
    QTRY_VERIFY_WITH_TIMEOUT(!s->tracker()->find(ids[0])->pushLogTail.isEmpty(), 10'000);
    const auto detailed = s->tracker()->find(ids[0]);
    const QString cause = FailureCause::craneErrorLine(detailed->pushLogTail);
    QVERIFY2(cause.contains(QStringLiteral("UNAUTHORIZED")), qPrintable(detailed->pushLogTail));
    QCOMPARE(detailed->message, cause + QStringLiteral(" (push to Harbor exited with code 1)"));
}

void TestPullService::duplicatesShareAPull()
{
    auto s = service();
    const QStringList first = start(s.get(), {"slow-app:1", "slow-app:1", "redis:7", "docker.io/library/slow-app:1"});
    QCOMPARE(first.size(), 4);
    QCOMPARE(first[0], first[1]); // the same image and target
    QVERIFY(first[0] != first[2]);
    // As written, the spelled-out name is another Harbor path (the platform looks there too).
    QVERIFY(first[3] != first[0]);
    QCOMPARE(s->tracker()->find(first[3])->target, "harbor.local/mirror/docker.io/library/slow-app:1");
    QCOMPARE(s->tracker()->find(first[0])->target, "harbor.local/mirror/slow-app:1");
    const QStringList again = start(s.get(), {"slow-app:1"});
    QCOMPARE(again, QStringList{first[0]});
    QCOMPARE(m_cluster->sim()->jobCount(), 3);
}

void TestPullService::foreignRegistryGetsItsOwnTarget()
{
    m_settings.harborPrefix = "192.168.110.1:30003/library/";
    auto s = service();
    const QStringList ids = start(s.get(), {"slow-official:1.27", "evil.example.com/library/slow-official:1.27"});
    QCOMPARE(ids.size(), 2);
    QVERIFY(ids[0] != ids[1]);
    QCOMPARE(s->tracker()->find(ids[0])->target, "192.168.110.1:30003/library/slow-official:1.27");
    QCOMPARE(s->tracker()->find(ids[1])->target,
             "192.168.110.1:30003/library/evil.example.com/library/slow-official:1.27");
}

void TestPullService::targetOwnedByAnotherSourceIsRefused()
{
    auto s = service();
    // A pull made under the earlier rule filled library/nginx:1.27 from another registry.
    PullJob old = finishedPull("image-puller-old01", "evil.example.com/library/nginx:1.27",
                               "harbor.local/mirror/library/nginx:1.27", PullStatus::Completed);
    s->tracker()->put(old);
    const auto error = refused(s.get(), {"redis:7", "library/nginx:1.27"});
    QVERIFY(error);
    QCOMPARE(error->status, 409);
    QVERIFY2(error->message.contains("names[1] 'library/nginx:1.27'"), qPrintable(error->message));
    QVERIFY2(error->message.contains("belongs to pull 'image-puller-old01'"), qPrintable(error->message));
    QVERIFY2(error->message.contains("evil.example.com/library/nginx:1.27"), qPrintable(error->message));
    QCOMPARE(m_cluster->sim()->jobCount(), 0);
    // The same source may fill it again.
    old.source = "docker.io/library/nginx:1.27";
    s->tracker()->put(old);
    QCOMPARE(start(s.get(), {"library/nginx:1.27"}).size(), 1);
    QCOMPARE(m_cluster->sim()->jobCount(), 1);
}

// Two services on one cluster, as two replicas: every image POSTed to both at the same
// moment gets one Job, and both answer with its name.
void TestPullService::twoReplicasMakeOneJobPerImage()
{
    auto a = service();
    auto b = service();
    QStringList images;
    for (int i = 0; i < 8; ++i)
        images << QStringLiteral("slow-race-%1:1").arg(i);
    QList<QStringList> answers(16);
    int answered = 0;
    for (int i = 0; i < 8; ++i)
        for (PullService *s : {a.get(), b.get()}) {
            const int slot = i * 2 + (s == b.get());
            s->startPulls({images[i]}, [&, slot](const QStringList &ids, const std::optional<PullError> &e) {
                QVERIFY2(!e, e ? qPrintable(e->message) : "");
                answers[slot] = ids;
                ++answered;
            });
        }
    QTRY_COMPARE(answered, 16);
    QCOMPARE(m_cluster->sim()->jobCount(), 8);
    QSet<QString> names;
    for (int i = 0; i < 8; ++i) {
        QCOMPARE(answers[i * 2].size(), 1);
        QCOMPARE(answers[i * 2], answers[i * 2 + 1]); // both replicas name the Job that exists
        names.insert(answers[i * 2].first());
        QVERIFY(answers[i * 2].first().startsWith("image-puller-"));
        QVERIFY(a->tracker()->find(answers[i * 2].first()));
        QVERIFY(b->tracker()->find(answers[i * 2].first()));
    }
    QCOMPARE(names.size(), 8);
}

void TestPullService::finishedJobNameIsNotReused()
{
    auto a = service();
    const QString first = start(a.get(), {"team/pushfail-again:1"}).value(0);
    QVERIFY(first.endsWith("-1"));
    QTRY_COMPARE_WITH_TIMEOUT(a->tracker()->find(first)->status, PullStatus::Failed, 30'000);
    // A replica that never saw the first Job: its create conflicts, and the finished Job
    // sends it to the next number instead of answering with a finished pull.
    auto b = std::make_unique<PullService>(m_cluster->client(), m_settings, nullptr, Clock::system());
    const QStringList again = start(b.get(), {"team/pushfail-again:1"});
    QCOMPARE(again.size(), 1);
    QCOMPARE(again.first(), first.left(first.size() - 1) + "2");
    QCOMPARE(m_cluster->sim()->jobCount(), 2);
    // A retry gets its own Job too.
    QTRY_VERIFY_WITH_TIMEOUT(a->tracker()->find(again.first()) && a->tracker()->find(again.first())->status == PullStatus::Failed, 30'000);
    QString retried;
    a->retry(first, [&](const QString &id, const std::optional<PullError> &e) {
        QVERIFY(!e);
        retried = id;
    });
    QTRY_VERIFY(!retried.isEmpty());
    QCOMPARE(retried, first.left(first.size() - 1) + "3");
    QCOMPARE(m_cluster->sim()->jobCount(), 3);
}

void TestPullService::retryFollowsTheRegistryPolicy()
{
    m_settings.registryPolicy = RegistryPolicy::create("quay.io", RegistryPolicy::defaultBlockedNetworks()).value();
    auto s = service();
    // Failed before the policy allowed only quay.io.
    const PullJob old = finishedPull("image-puller-before-1", "docker.io/library/nginx:1.27",
                                     "harbor.local/mirror/nginx:1.27", PullStatus::Failed);
    s->tracker()->put(old);
    std::optional<PullError> error;
    bool done = false;
    s->retry(old.id, [&](const QString &, const std::optional<PullError> &e) {
        error = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(error);
    QCOMPARE(error->status, 400);
    QVERIFY2(error->message.contains("registry docker.io is not allowed"), qPrintable(error->message));
    QCOMPARE(m_cluster->sim()->jobCount(), 0);
}

void TestPullService::invalidNameCreatesNothing()
{
    auto s = service();
    const auto error = refused(s.get(), {"nginx:1", "Bad Name", "redis:7"});
    QVERIFY(error);
    QCOMPARE(error->status, 400);
    QVERIFY2(error->message.startsWith("names[1] 'Bad Name'"), qPrintable(error->message));
    QTest::qWait(200); // nothing may arrive late either
    QCOMPARE(m_cluster->sim()->jobCount(), 0);
}

void TestPullService::retryLinksPulls()
{
    auto s = service();
    const QString id = start(s.get(), {"team/pushfail-r:1"}).value(0);
    QTRY_COMPARE_WITH_TIMEOUT(s->tracker()->find(id)->status, PullStatus::Failed, 30'000);
    QString newId;
    std::optional<PullError> error;
    s->retry(id, [&](const QString &n, const std::optional<PullError> &e) {
        newId = n;
        error = e;
    });
    QTRY_VERIFY(!newId.isEmpty() || error);
    QVERIFY(!error);
    QVERIFY(newId != id);
    QCOMPARE(s->tracker()->find(id)->retriedBy, newId);
    QCOMPARE(s->tracker()->find(newId)->retryOf, id);
    // Retrying something that is not failed is refused.
    s->retry(newId, [&](const QString &, const std::optional<PullError> &e) { error = e; });
    QTRY_VERIFY(error);
    QCOMPARE(error->status, 409);
}

void TestPullService::cancelDeletesTheJob()
{
    auto s = service();
    const QString id = start(s.get(), {"slow-cancel:1"}).value(0);
    QTRY_VERIFY(s->tracker()->find(id));
    std::optional<PullJob> cancelled;
    std::optional<PullError> error;
    bool done = false;
    s->cancel(id, [&](const std::optional<PullJob> &j, const std::optional<PullError> &e) {
        cancelled = j;
        error = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    QCOMPARE(cancelled->status, PullStatus::Failed);
    QCOMPARE(cancelled->reason, FailureReason::Cancelled);
    KubeCall *call = m_cluster->client()->getJob("default", id);
    QSignalSpy finished(call, &KubeCall::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().value<KubeCall *>()->httpStatus(), 404);
    // Cancelling it again: it is finished.
    done = false;
    s->cancel(id, [&](const std::optional<PullJob> &, const std::optional<PullError> &e) {
        error = e;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(error->status, 409);
}

void TestPullService::restartKeepsHistoryAndRediscovers()
{
    const QString db = m_dir.filePath("history.sqlite");
    QString failedId, slowId;
    {
        SqliteHistory history(db, 100);
        auto s = service(&history);
        const QStringList ids = start(s.get(), {"team/pushfail-h:1", "slow-survivor:1"});
        failedId = ids[0];
        slowId = ids[1];
        QTRY_COMPARE_WITH_TIMEOUT(s->tracker()->find(failedId)->status, PullStatus::Failed, 30'000);
        QTRY_VERIFY(!s->tracker()->find(failedId)->events.isEmpty()); // details recorded too
        QVERIFY(!s->tracker()->find(slowId)->isTerminal());
        s->stop();
    }
    SqliteHistory history(db, 100);
    auto s = service(&history);
    const QList<PullJob> failed = s->tracker()->failed(50);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().id, failedId);
    QCOMPARE(failed.first().reason, FailureReason::PushFailed);
    QVERIFY(!failed.first().events.isEmpty());
    // The pull that was running is found again by its label and followed to its end.
    QVERIFY(s->tracker()->find(slowId));
    QTRY_COMPARE_WITH_TIMEOUT(s->tracker()->find(slowId)->status, PullStatus::Completed, 30'000);
}

namespace {

QStringList historyIds(SqliteHistory &history)
{
    QStringList ids;
    bool done = false;
    history.load([&](const QList<PullJob> &jobs, const QString &error) {
        if (!error.isEmpty())
            ids << QStringLiteral("error: ") + error;
        for (const PullJob &j : jobs)
            ids << j.id;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10'000))
        ids << QStringLiteral("load did not answer");
    return ids;
}

} // namespace

// The SQLite history keeps the newest `limit` finished pulls by finish time, across writes in
// any order, a pull written again and a reopen (it counts its rows and deletes the oldest
// through an index instead of sorting the whole table on every write).
void TestPullService::sqliteHistoryKeepsTheNewest()
{
    const QString db = m_dir.filePath("newest.sqlite");
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000LL, Qt::UTC);
    const auto job = [&](int n, int minute) {
        PullJob j;
        j.id = QStringLiteral("pull-%1").arg(n);
        j.status = PullStatus::Failed;
        j.finishedAt = t0.addSecs(60 * minute);
        return j;
    };
    QStringList expected;
    {
        SqliteHistory history(db, 10);
        // pull-n finishes at minute n; written in a shuffled order (7 is prime to 25).
        for (int i = 0; i < 25; ++i)
            history.record(job((i * 7) % 25, (i * 7) % 25));
        history.record(job(3, 100)); // written again, now the newest
        history.flush();
        expected << QStringLiteral("pull-3");
        for (int n = 24; n >= 16; --n)
            expected << QStringLiteral("pull-%1").arg(n);
        QCOMPARE(historyIds(history), expected);
    }
    SqliteHistory reopened(db, 10);
    reopened.record(job(30, 200));
    reopened.flush();
    expected.removeLast();
    expected.prepend(QStringLiteral("pull-30"));
    QCOMPARE(historyIds(reopened), expected);
}

QTEST_GUILESS_MAIN(TestPullService)
#include "tst_pullservice.moc"
