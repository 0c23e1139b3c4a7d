// The log view under a flood: 500,000 lines arrive at 50,000 lines/s over a real WebSocket
// speaking the /ws/pod-logs protocol; memory stays bounded (the ring holds 100,000 lines)
// and every line arrives once, in order.
//
// The longest event-loop stall is printed for the reader but not asserted: speed is a
// benchmark figure (bench/fig-desktop.sh, pwbench-logview, in bench/RESULTS.md), measured
// against references in the same run, never a unit test's pass/fail on a shared machine.
#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logview.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListView>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <time.h>

using namespace pw::ui;

namespace {

qint64 threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

qint64 rssKb() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// A /ws/pod-logs endpoint on its own thread: `total` lines, `perTick` every `tickMs`.
class LogSource : public QObject {
public:
    LogSource(qint64 total, int perTick, int tickMs, int framesPerTick)
        : m_total(total)
        , m_perTick(perTick)
        , m_tickMs(tickMs)
        , m_framesPerTick(framesPerTick) {}
    quint16 listen() {
        m_server =
            new QWebSocketServer(QStringLiteral("logs"), QWebSocketServer::NonSecureMode, this);
        m_server->listen(QHostAddress::LocalHost, 0);
        connect(m_server, &QWebSocketServer::newConnection, this, [this] {
            m_socket = m_server->nextPendingConnection();
            m_socket->setParent(this);
            auto *timer = new QTimer(this);
            timer->setTimerType(Qt::PreciseTimer);
            connect(timer, &QTimer::timeout, this, [this, timer] { tick(timer); });
            timer->start(m_tickMs);
        });
        return m_server->serverPort();
    }

private:
    void tick(QTimer *timer) {
        for (int f = 0; f < m_framesPerTick && m_sent < m_total; ++f)
            sendFrame();
        if (m_sent >= m_total)
            timer->stop();
    }

    void sendFrame() {
        const qint64 n = qMin<qint64>(m_perTick, m_total - m_sent);
        QString data;
        data.reserve(int(n * 110));
        for (qint64 i = 0; i < n; ++i) {
            data +=
                QStringLiteral("2026-11-27T10:00:00.000000000Z \x1b[32mINFO\x1b[0m worker: line=%1 "
                               "crane: copying layer chunk, bytes=1048576 status=ok\n")
                    .arg(m_sent + i);
        }
        const QJsonObject o{{QStringLiteral("type"), QStringLiteral("log")},
                            {QStringLiteral("data"), data},
                            {QStringLiteral("seq"), double(m_sent)},
                            {QStringLiteral("lines"), double(n)}};
        m_socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
        m_sent += n;
    }

    qint64 m_total;
    int m_perTick;
    int m_tickMs;
    int m_framesPerTick;
    qint64 m_sent = 0;
    QWebSocketServer *m_server = nullptr;
    QWebSocket *m_socket = nullptr;
};

} // namespace

class TestUiLogThroughput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fiftyThousandLinesPerSecond_data();
    void fiftyThousandLinesPerSecond();
};

void TestUiLogThroughput::fiftyThousandLinesPerSecond_data() {
    QTest::addColumn<qint64>("total");
    QTest::addColumn<int>("framesPerTick");
    QTest::addColumn<int>("tickMs");
    // 500 lines a frame. Steady: a frame every 10 ms. Bursts: 64 frames (~4 MB) at once every
    // 640 ms, as a server catching up sends them; one socket read then holds them all.
    QTest::newRow("steady") << qint64(500'000) << 1 << 10;
    QTest::newRow("bursts") << qint64(200'000) << 64 << 640;
}

void TestUiLogThroughput::fiftyThousandLinesPerSecond() {
    QFETCH(qint64, total);
    QFETCH(int, framesPerTick);
    QFETCH(int, tickMs);
    const qint64 kTotal = total;
    QThread thread;
    auto *source = new LogSource(kTotal, 500, tickMs, framesPerTick); // 50,000 lines/s
    source->moveToThread(&thread);
    connect(&thread, &QThread::finished, source, &QObject::deleteLater);
    thread.start();
    struct Stop {
        QThread *t;
        ~Stop() {
            t->quit();
            t->wait();
        }
    } stopThread{&thread};
    quint16 port = 0;
    QMetaObject::invokeMethod(
        source, [source, &port] { port = source->listen(); }, Qt::BlockingQueuedConnection);
    QVERIFY(port != 0);

    ApiClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QString());
    LogView view(&client);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const qint64 rssBefore = rssKb();

    // The stall probe: a 5 ms timer on the GUI thread; the longest gap between its ticks.
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.elapsed();
    qint64 lastCpu = threadCpuMs();
    qint64 worst = 0;
    qint64 worstCpu = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    connect(&probe, &QTimer::timeout, &view, [&] {
        const qint64 now = clock.elapsed();
        const qint64 cpu = threadCpuMs();
        worst = qMax(worst, now - last);
        worstCpu = qMax(worstCpu, cpu - lastCpu);
        last = now;
        lastCpu = cpu;
    });
    probe.start(5);

    LogTarget target{QStringLiteral("default"), QStringLiteral("flood"), QString(),
                     QStringLiteral("main")};
    view.follow(target);
    QTRY_VERIFY_WITH_TIMEOUT(view.receivedTotal() == kTotal, 60'000);
    QTest::qWait(200); // the last frame's flush
    const qint64 seconds = clock.elapsed();
    probe.stop();
    const qint64 rssAfter = rssKb();

    LogModel *model = view.model();
    QCOMPARE(qint64(model->rowCount()), qMin<qint64>(kTotal, LogModel::kDefaultCapacity));
    QCOMPARE(model->seqAt(model->rowCount() - 1), kTotal - 1);
    for (int r = 1; r < model->rowCount(); ++r)
        if (model->seqAt(r) != model->seqAt(r - 1) + 1)
            QFAIL(qPrintable(QStringLiteral("row %1 out of order").arg(r)));
    QVERIFY(model->displayText(model->rowCount() - 1)
                .contains(QStringLiteral("line=%1 ").arg(kTotal - 1)));
    const qint64 growthMb = (rssAfter - rssBefore) / 1024;
    qInfo("%lld lines in %lld ms; longest event-loop stall %lld ms of GUI-thread CPU (%lld ms "
          "wall); RSS %lld MB -> %lld MB (+%lld MB)",
          kTotal, seconds, worstCpu, worst, rssBefore / 1024, rssAfter / 1024, growthMb);
    QVERIFY2(growthMb < 200, qPrintable(QStringLiteral("memory grew by %1 MB").arg(growthMb)));

    view.stop();
}

QTEST_MAIN(TestUiLogThroughput)
#include "tst_ui_logthroughput.moc"
