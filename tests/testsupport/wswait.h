#pragma once

#include <QEventLoop>
#include <QObject>
#include <QTimer>

namespace WsTest {

// Runs the event loop until `condition` holds. QTRY_* and QTest::qWait sleep 10 ms between
// event-loop passes, which throttles a stream of a million lines to a crawl; this loop
// never sleeps while there is work (it is QSignalSpy::wait with a condition).
template <typename Condition> bool waitFor(Condition condition, int timeoutMs) {
    if (condition())
        return true;
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (condition())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start(5);
    loop.exec();
    return condition();
}

} // namespace WsTest
