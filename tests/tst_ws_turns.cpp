// WsWriteTurns, the fair scheduler behind log viewers that send from a stream's ring: with
// fake viewers whose sockets take the same number of bytes per pass, every viewer gets the
// same share however early or greedily it asked; a viewer gets one turn per pass, goes to the
// back after it, and one that leaves is never called again. No timing is involved: passes are
// run by hand (and once through the event loop, awaited with QTRY).

#include "server/wswriteturns.h"

#include <QTest>

#include <functional>
#include <vector>

namespace {
constexpr qint64 kFrame = 64 * 1024;

// A viewer with `pending` bytes of frames to send and a socket that takes `room` bytes before
// it is full; it writes whole frames within the budget, like WsLogSession::writeTurn.
class FakeViewer : public WsWriteTurns::Writer {
public:
    FakeViewer(int id, qint64 pending, QList<int> *order)
        : m_id(id)
        , m_pending(pending)
        , m_order(order) {}
    bool writeTurn(qint64 budgetBytes) override {
        m_order->append(m_id);
        ++turns;
        qint64 written = 0;
        while (m_pending > 0 && written < budgetBytes && room >= kFrame) {
            const qint64 frame = qMin(kFrame, m_pending);
            m_pending -= frame;
            room -= frame;
            written += frame;
            delivered += frame;
        }
        if (onTurn)
            onTurn();
        return m_pending > 0 && room >= kFrame;
    }
    bool wantsMore() const { return m_pending > 0; }

    qint64 room = 0;
    qint64 delivered = 0;
    int turns = 0;
    std::function<void()> onTurn;

private:
    int m_id;
    qint64 m_pending;
    QList<int> *m_order;
};
} // namespace

class TestWsTurns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void equalShareAtTheSameDrainRate_data();
    void equalShareAtTheSameDrainRate();
    void oneTurnPerPassEvenWhenAskingAgain();
    void afterItsTurnAViewerGoesToTheBack();
    void aViewerThatLeavesDuringAPassIsNotCalled();
    void passesRunByThemselves();
    void catchingUpGetsWhatLiveViewersGot_data();
    void catchingUpGetsWhatLiveViewersGot();
};

void TestWsTurns::equalShareAtTheSameDrainRate_data() {
    QTest::addColumn<int>("viewers");
    QTest::addColumn<qint64>("drainPerPass"); // what each socket takes per pass
    QTest::addColumn<qint64>("budget");
    QTest::addColumn<int>("passes");
    QTest::newRow("3 viewers, sockets faster than the budget")
        << 3 << 8 * kFrame << 4 * kFrame << 50;
    QTest::newRow("10 viewers, sockets slower than the budget")
        << 10 << 2 * kFrame << 4 * kFrame << 50;
    QTest::newRow("100 viewers, 1 frame per pass") << 100 << kFrame << 4 * kFrame << 200;
    QTest::newRow("100 viewers, sockets at the budget") << 100 << 4 * kFrame << 4 * kFrame << 40;
}

void TestWsTurns::equalShareAtTheSameDrainRate() {
    QFETCH(int, viewers);
    QFETCH(qint64, drainPerPass);
    QFETCH(qint64, budget);
    QFETCH(int, passes);
    QList<int> order;
    WsWriteTurns turns(budget);
    std::vector<std::unique_ptr<FakeViewer>> all;
    // Viewer 0 is far behind and asked first, with a socket that was empty: the greedy case.
    for (int i = 0; i < viewers; ++i) {
        all.push_back(
            std::make_unique<FakeViewer>(i, i == 0 ? 1000 * kFrame : 500 * kFrame, &order));
        all.back()->room = i == 0 ? 64 * kFrame : drainPerPass;
        turns.request(all.back().get());
    }
    for (int p = 0; p < passes; ++p) {
        turns.runPass();
        // Every socket is drained by the same amount; a viewer that was full asks again
        // (as WsConnection::drained makes it).
        for (auto &v : all) {
            v->room = qMin(v->room + drainPerPass, 64 * kFrame);
            if (v->wantsMore() && !turns.isWaiting(v.get()))
                turns.request(v.get());
        }
    }
    // Viewer 0 may have used its empty socket once; after that every viewer gets the same.
    qint64 least = all[1]->delivered;
    qint64 most = all[1]->delivered;
    for (int i = 1; i < viewers; ++i) {
        least = qMin(least, all[size_t(i)]->delivered);
        most = qMax(most, all[size_t(i)]->delivered);
        QCOMPARE(all[size_t(i)]->turns, all[1]->turns);
    }
    QVERIFY2(least > 0, "no viewer got anything");
    QCOMPARE(most, least);
    const qint64 expected = qMin(drainPerPass, budget) * passes;
    QVERIFY2(least >= expected - budget,
             qPrintable(QStringLiteral("each viewer got %1 bytes of %2 its socket took")
                            .arg(least)
                            .arg(expected)));
    // The greedy one got at most one budget per pass, like everyone else.
    QVERIFY(all[0]->delivered <= budget * passes);
    QVERIFY(all[0]->delivered <= least + 64 * kFrame);
}

void TestWsTurns::oneTurnPerPassEvenWhenAskingAgain() {
    QList<int> order;
    WsWriteTurns turns(kFrame);
    FakeViewer greedy(1, 100 * kFrame, &order);
    FakeViewer other(2, 100 * kFrame, &order);
    greedy.room = other.room = 100 * kFrame;
    greedy.onTurn = [&] { turns.request(&greedy); }; // asks again inside its own turn
    turns.request(&greedy);
    turns.request(&other);
    turns.runPass();
    QCOMPARE(order, (QList<int>{1, 2}));
    QCOMPARE(greedy.delivered, kFrame);
    QCOMPARE(other.delivered, kFrame);
    turns.runPass();
    QCOMPARE(order, (QList<int>{1, 2, 1, 2}));
    QCOMPARE(turns.waitingCount(), 2);
}

void TestWsTurns::afterItsTurnAViewerGoesToTheBack() {
    QList<int> order;
    WsWriteTurns turns(kFrame);
    FakeViewer a(1, 10 * kFrame, &order);
    FakeViewer b(2, 10 * kFrame, &order);
    FakeViewer c(3, 10 * kFrame, &order);
    a.room = b.room = c.room = 10 * kFrame;
    turns.request(&a);
    turns.request(&b);
    turns.runPass();   // a, b
    turns.request(&c); // asks after a and b went to the back: served after them
    turns.runPass();
    turns.runPass();
    QCOMPARE(order, (QList<int>{1, 2, 1, 2, 3, 1, 2, 3}));
}

void TestWsTurns::aViewerThatLeavesDuringAPassIsNotCalled() {
    QList<int> order;
    WsWriteTurns turns(kFrame);
    FakeViewer a(1, 10 * kFrame, &order);
    FakeViewer b(2, 10 * kFrame, &order);
    auto c = std::make_unique<FakeViewer>(3, 10 * kFrame, &order);
    a.room = b.room = c->room = 10 * kFrame;
    turns.request(&a);
    turns.request(&b);
    turns.request(c.get());
    b.onTurn = [&] {
        turns.cancel(c.get());
        c.reset();
    };
    turns.runPass();
    QCOMPARE(order, (QList<int>{1, 2}));
    b.onTurn = nullptr;
    turns.runPass();
    QCOMPARE(order, (QList<int>{1, 2, 1, 2}));
    QCOMPARE(turns.waitingCount(), 2);
}

void TestWsTurns::passesRunByThemselves() {
    QList<int> order;
    WsWriteTurns turns(kFrame);
    FakeViewer a(1, 3 * kFrame, &order);
    a.room = 10 * kFrame;
    turns.request(&a);
    QCOMPARE(a.turns, 0); // never inside request(): the caller may be in the middle of a send
    QTRY_COMPARE(a.delivered, 3 * kFrame);
    QCOMPARE(a.turns, 3);
    QCOMPARE(turns.waitingCount(), 0);
}

void TestWsTurns::catchingUpGetsWhatLiveViewersGot_data() {
    QTest::addColumn<QList<qint64>>("liveFrames"); // frames offered to up-to-date viewers
    QTest::addColumn<qint64>("budget");            // what a waiting viewer may then write
    QTest::newRow("no live frames: the configured budget") << QList<qint64>{} << 4 * kFrame;
    QTest::newRow("less than the budget went live") << QList<qint64>{kFrame, kFrame} << 4 * kFrame;
    QTest::newRow("a 4 MB read went live in one pass") << QList<qint64>(64, kFrame) << 64 * kFrame;
}

void TestWsTurns::catchingUpGetsWhatLiveViewersGot() {
    QFETCH(QList<qint64>, liveFrames);
    QFETCH(qint64, budget);
    QList<int> order;
    WsWriteTurns turns(4 * kFrame);
    FakeViewer behind(1, 1000 * kFrame, &order);
    behind.room = 1000 * kFrame;
    turns.request(&behind);
    for (qint64 bytes : liveFrames)
        turns.noteLiveFrame(bytes);
    QCOMPARE(turns.passBudget(), budget);
    turns.runPass();
    QCOMPARE(behind.delivered, budget);
    // Counted again from the pass on: the next pass without live frames is back to the budget.
    QCOMPARE(turns.passBudget(), 4 * kFrame);
    turns.runPass();
    QCOMPARE(behind.delivered, budget + 4 * kFrame);
}

QTEST_GUILESS_MAIN(TestWsTurns)
#include "tst_ws_turns.moc"
