// SimTimers, the one timer behind kubesim's simulated delays: callbacks run in deadline order
// (ties in the order added), never inside add(), not after cancel() or once their context
// object is gone, and a 0 ms delay added by a callback waits for the next pass. 10,000 pending
// delays (a Job each) are one map, not 10,000 QTimers.

#include "kubesim/simtimers.h"

#include <QTest>

#include <memory>

using namespace pw::kubesim;

class TestKubeSimTimers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runInDeadlineOrder();
    void cancelledAndOrphanedDoNotRun();
    void zeroDelayFromACallbackWaitsForTheNextPass();
    void tenThousandPendingDelays();
};

void TestKubeSimTimers::runInDeadlineOrder() {
    SimTimers timers;
    QObject context;
    QList<int> order;
    timers.add(30, &context, [&] { order << 3; });
    timers.add(0, &context, [&] { order << 1; });
    timers.add(10, &context, [&] { order << 2; });
    timers.add(0, &context, [&] { order << 11; }); // same deadline: after the first 0 ms one
    QVERIFY(order.isEmpty());                      // never inside add()
    QTRY_COMPARE(order, (QList<int>{1, 11, 2, 3}));
    QCOMPARE(timers.pending(), 0);
}

void TestKubeSimTimers::cancelledAndOrphanedDoNotRun() {
    SimTimers timers;
    QObject keep;
    auto gone = std::make_unique<QObject>();
    QList<int> order;
    const quint64 cancelled = timers.add(0, &keep, [&] { order << 1; });
    timers.add(0, gone.get(), [&] { order << 2; });
    timers.add(5, &keep, [&] { order << 3; });
    timers.cancel(cancelled);
    timers.cancel(cancelled); // twice: nothing
    gone.reset();
    QTRY_COMPARE(order, (QList<int>{3}));
    QCOMPARE(timers.pending(), 0);
}

void TestKubeSimTimers::zeroDelayFromACallbackWaitsForTheNextPass() {
    SimTimers timers;
    QObject context;
    QList<int> order;
    timers.add(0, &context, [&] {
        order << 1;
        timers.add(0, &context, [&] { order << 3; });
    });
    timers.add(0, &context, [&] { order << 2; });
    QTRY_COMPARE(order, (QList<int>{1, 2, 3}));
}

void TestKubeSimTimers::tenThousandPendingDelays() {
    SimTimers timers;
    QObject context;
    int ran = 0;
    for (int i = 0; i < 10'000; ++i)
        timers.add(3'600'000 - i, &context, [&] { ++ran; }); // an hour-long step per Job
    QList<int> order;
    timers.add(0, &context, [&] { order << 1; });
    timers.add(1, &context, [&] { order << 2; });
    QCOMPARE(timers.pending(), 10'002);
    QTRY_COMPARE(order, (QList<int>{1, 2}));
    QCOMPARE(ran, 0);
    QCOMPARE(timers.pending(), 10'000);
}

QTEST_GUILESS_MAIN(TestKubeSimTimers)
#include "tst_kubesim_timers.moc"
