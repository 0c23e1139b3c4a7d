#include "coretostring.h"
#include "pulls/pulljobname.h"
#include "pulls/pulltracker.h"

#include "testclock.h"

#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <random>

using namespace pw::core;
using namespace pw::pulls;

// The tracker's rules on hand-made pulls: progress and finality kept, only visible changes
// announced, pulls found by Harbor target, the oldest finished pulls trimmed first.
class TestPullTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trackerKeepsProgressAndFinality();
    void trackerAnnouncesOnlyVisibleChanges();
    void trackerFindsPullsByTarget();
    void trackerTrimsOldestFinished_data();
    void trackerTrimsOldestFinished();
};

// Failure details (events, log tails) added to a finished pull change nothing a status
// subscriber or a list shows: no second announcement of the same final state.
void TestPullTracker::trackerAnnouncesOnlyVisibleChanges()
{
    TestClock clock;
    PullTracker tracker(&clock, 3);
    QSignalSpy changed(&tracker, &PullTracker::changed);
    PullJob job;
    job.id = "a";
    job.source = "docker.io/library/nginx:1";
    job.status = PullStatus::Failed;
    job.message = "not found";
    tracker.put(job);
    QCOMPARE(changed.size(), 1);
    PullJob detailed = job;
    detailed.sourceLogTail = "pulling\nnot found";
    tracker.put(detailed);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(tracker.find("a")->sourceLogTail, QString("pulling\nnot found")); // kept all the same
    detailed.message = "not found: docker.io/library/nginx:1";
    tracker.put(detailed);
    QCOMPARE(changed.size(), 2);
}

// ownerOf and the next Job number look only at the pulls of one target (an index kept through
// completion, history trimming and a changed target), not at every pull.
void TestPullTracker::trackerFindsPullsByTarget()
{
    TestClock clock;
    PullTracker tracker(&clock, 2);
    auto pull = [&](const QString &id, const QString &target, PullStatus status) {
        PullJob j;
        j.id = id;
        j.target = target;
        j.status = status;
        clock.advance(1000);
        if (status != PullStatus::Pulling)
            j.finishedAt = clock.now();
        tracker.put(j);
    };
    pull("x-1", "harbor/x:1", PullStatus::Completed);
    pull("y-1", "harbor/y:1", PullStatus::Pulling);
    pull("x-2", "harbor/x:1", PullStatus::Completed);
    QCOMPARE(tracker.ownerOf("harbor/x:1")->id, "x-2"); // the newest completed one
    QCOMPARE(tracker.ownerOf("harbor/y:1")->id, "y-1");
    QCOMPARE(tracker.idsOf("harbor/y:1"), QList<QString>{"y-1"});
    pull("x-3", "harbor/x:1", PullStatus::Pulling);
    QCOMPARE(tracker.ownerOf("harbor/x:1")->id, "x-3"); // the active one first
    // Two finished pulls are kept: x-1, the oldest, is trimmed and forgotten by its target too.
    pull("z-1", "harbor/z:1", PullStatus::Failed);
    QVERIFY(!tracker.find("x-1"));
    QList<QString> xs = tracker.idsOf("harbor/x:1");
    std::sort(xs.begin(), xs.end());
    QCOMPARE(xs, (QList<QString>{"x-2", "x-3"}));
    QVERIFY(!tracker.ownerOf("harbor/z:1")); // failed: fills nothing
    // A pull whose target changes moves with it.
    PullJob moved = *tracker.find("y-1");
    moved.target = "harbor/y:2";
    tracker.put(moved);
    QVERIFY(tracker.idsOf("harbor/y:1").isEmpty());
    QCOMPARE(tracker.ownerOf("harbor/y:2")->id, "y-1");
    QCOMPARE(PullJobName::next("x-", tracker.idsOf("harbor/x:1")), 4);
}

void TestPullTracker::trackerTrimsOldestFinished_data()
{
    QTest::addColumn<int>("pulls");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("distinctTimes"); // finish times drawn from this many values: ties
    QTest::addColumn<uint>("seed");
    QTest::newRow("under the limit") << 5 << 10 << 5 << 1u;
    QTest::newRow("exactly the limit") << 10 << 10 << 10 << 2u;
    QTest::newRow("shuffled, limit 1") << 20 << 1 << 20 << 3u;
    QTest::newRow("shuffled, limit 7") << 200 << 7 << 200 << 4u;
    QTest::newRow("shuffled, many ties") << 200 << 13 << 5 << 5u;
    QTest::newRow("shuffled, large") << 2000 << 100 << 1500 << 6u;
}

// Finishing pulls in any finish-time order keeps the `limit` newest by (finish time, id) and
// forgets the others oldest first, exactly as sorting every finished pull and cutting the
// list at the limit does (the reference below).
void TestPullTracker::trackerTrimsOldestFinished()
{
    QFETCH(int, pulls);
    QFETCH(int, limit);
    QFETCH(int, distinctTimes);
    QFETCH(uint, seed);
    TestClock clock;
    PullTracker tracker(&clock, limit);
    QRandomGenerator random(seed);
    const QDateTime start = clock.now();
    QList<PullJob> all;
    for (int i = 0; i < pulls; ++i) {
        PullJob j;
        j.id = QStringLiteral("p-%1").arg(i, 5, 10, QLatin1Char('0'));
        j.target = QStringLiteral("harbor/t:%1").arg(i % 7);
        j.status = i % 3 ? PullStatus::Completed : PullStatus::Failed;
        j.stage = i % 3 ? PullStage::Completed : PullStage::Failed;
        j.finishedAt = start.addSecs(random.bounded(distinctTimes));
        all.append(j);
    }
    std::shuffle(all.begin(), all.end(), std::mt19937(seed));
    // An active pull is never trimmed.
    PullJob active;
    active.id = QStringLiteral("active");
    active.target = QStringLiteral("harbor/t:0");
    active.status = PullStatus::Pulling;
    tracker.put(active);

    const auto newerFirst = [](const PullJob &a, const PullJob &b) {
        return a.finishedAt != b.finishedAt ? a.finishedAt > b.finishedAt : a.id > b.id;
    };
    QList<PullJob> reference; // newest first, cut at the limit after every finish
    QList<QString> expectedEvictions;
    QList<QString> evictions;
    QSet<QString> present;
    for (const PullJob &job : std::as_const(all)) {
        reference.append(job);
        std::sort(reference.begin(), reference.end(), newerFirst);
        for (qsizetype i = limit; i < reference.size(); ++i)
            expectedEvictions.append(reference[i].id);
        reference.resize(std::min<qsizetype>(reference.size(), limit));

        tracker.put(job);
        present.insert(job.id);
        for (auto it = present.begin(); it != present.end();) {
            if (tracker.find(*it)) {
                ++it;
                continue;
            }
            evictions.append(*it);
            it = present.erase(it);
        }
        QCOMPARE(evictions, expectedEvictions);
    }
    QList<QString> expectedKept;
    for (const PullJob &job : std::as_const(reference))
        expectedKept.append(job.id);
    QList<QString> kept;
    const QList<PullJob> finished = tracker.finished();
    for (const PullJob &job : finished)
        kept.append(job.id);
    QCOMPARE(kept, expectedKept);
    QCOMPARE(evictions.size(), std::max(0, pulls - limit));
    QList<QString> expectedFailed;
    for (const PullJob &job : std::as_const(reference))
        if (job.status == PullStatus::Failed && expectedFailed.size() < 3)
            expectedFailed.append(job.id);
    QList<QString> failed;
    for (const PullJob &job : tracker.failed(3))
        failed.append(job.id);
    QCOMPARE(failed, expectedFailed);
    QVERIFY(tracker.find(QStringLiteral("active")));
    QCOMPARE(tracker.activeCount(), 1);
    // The by-target index forgets what was trimmed.
    qsizetype indexed = 0;
    for (int t = 0; t < 7; ++t) {
        const QList<QString> ids = tracker.idsOf(QStringLiteral("harbor/t:%1").arg(t));
        for (const QString &id : ids)
            QVERIFY2(tracker.find(id), qPrintable(id));
        indexed += ids.size();
    }
    QCOMPARE(indexed, kept.size() + 1);

    // A history page found from its place in the order is the page the query cuts from the
    // whole list: each status, from the top and from the middle (with and without the id).
    const auto idsOf = [](const QList<PullJob> &jobs) {
        QList<QString> out;
        for (const PullJob &job : jobs)
            out.append(job.id);
        return out;
    };
    const PullJob middle = finished.value(finished.size() / 2);
    for (const auto which : {PullHistoryQuery::Which::All, PullHistoryQuery::Which::Completed,
                             PullHistoryQuery::Which::Failed}) {
        for (int place = 0; place < 3; ++place) {
            PullHistoryQuery q;
            q.which = which;
            q.limit = 7;
            if (place > 0)
                q.before = middle.finishedAt;
            if (place > 1)
                q.beforeId = middle.id;
            QCOMPARE(idsOf(tracker.finishedPage(q)), idsOf(q.apply(finished)));
        }
    }
}

void TestPullTracker::trackerKeepsProgressAndFinality()
{
    TestClock clock;
    PullTracker tracker(&clock, 3);
    QSignalSpy changed(&tracker, &PullTracker::changed);
    QSignalSpy finished(&tracker, &PullTracker::finishedPull);
    PullJob base;
    base.id = "a";
    base.source = "docker.io/library/nginx:1";
    base.target = "harbor.local/mirror/nginx:1";
    PullObservation o;
    o.stage = PullStage::Pushing;
    o.message = "Pushing to Harbor...";
    QCOMPARE(tracker.apply(base, o).progress, 80);
    // A retried pod starts over at pulling-source: progress does not go backwards.
    o.stage = PullStage::PullingSource;
    o.message = "Pulling source image...";
    QCOMPARE(tracker.apply(base, o).progress, 80);
    QCOMPARE(tracker.ownerOf("harbor.local/mirror/nginx:1")->id, "a");
    QVERIFY(!tracker.ownerOf("harbor.local/mirror/nginx:2"));
    o.stage = PullStage::Failed;
    o.reason = FailureReason::PushFailed;
    o.message = "push failed";
    const PullJob failed = tracker.apply(base, o);
    QCOMPARE(failed.status, PullStatus::Failed);
    QCOMPARE(failed.progress, 80); // keeps what it reached
    QVERIFY(failed.finishedAt.isValid());
    // Final: a later observation does not change it.
    o.stage = PullStage::Completed;
    QCOMPARE(tracker.apply(base, o).status, PullStatus::Failed);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(tracker.activeCount(), 0);
    QVERIFY(!tracker.ownerOf("harbor.local/mirror/nginx:1")); // a failed pull filled nothing
    // History is bounded.
    for (int i = 0; i < 5; ++i) {
        PullJob j;
        j.id = QString::number(i);
        j.status = PullStatus::Failed;
        j.stage = PullStage::Failed;
        clock.advance(1000);
        j.finishedAt = clock.now();
        tracker.put(j);
    }
    QCOMPARE(tracker.finished().size(), 3);
    QCOMPARE(tracker.failed(2).first().id, "4");
}

QTEST_GUILESS_MAIN(TestPullTracker)
#include "tst_pulltracker.moc"
