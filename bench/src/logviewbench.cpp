// pwbench-logview: the desktop log view (ui/LogView + LogModel) on the offscreen platform,
// following a kubesim chatty pod that writes --lines lines at full speed through Pullwatch.
// Starts the pull itself (ApiClient::startPulls), follows its job's copy container, and
// measures the longest event-loop stall with a 1 ms precise timer, and the process RSS.
//   --base http://127.0.0.1:PORT [--image bench/viewflood-1:1] [--lines 500000]
//   [--max-seconds 60]
#include "benchutil.h"

#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logstream.h"
#include "ui/logview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <ctime>
#include <unistd.h>

using namespace pw::ui;

namespace {

// CPU time of this thread: a wall-clock stall with little CPU in it was the scheduler's
// (a busy machine), not the view's.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QUrl base(BenchUtil::option(args, "base"));
    const QString image = BenchUtil::option(args, "image", QStringLiteral("bench/viewflood-1:1"));
    const qint64 lines = BenchUtil::option(args, "lines", QStringLiteral("500000")).toLongLong();
    const int maxSeconds = BenchUtil::option(args, "max-seconds", QStringLiteral("60")).toInt();

    ApiClient client(base, QString());
    LogView view(&client);
    view.resize(1200, 800);
    view.show();

    QElapsedTimer clock;
    QElapsedTimer tick;
    double longestStallMs = 0;
    double longestStallCpuMs = 0; // CPU time of this thread within the longest stall
    double longestCpuStallMs = 0; // the longest stall counted in CPU time
    double lastCpuMs = threadCpuMs();
    long rssMid = -1;
    long rssPeak = 0;
    bool measuring = false;
    qint64 ticks = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    auto finish = [&](const char *error) {
        if (error)
            BenchUtil::emitText("error", QString::fromLatin1(error));
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        BenchUtil::emitValue("lines_received", double(view.receivedTotal()));
        BenchUtil::emitValue("lines_appended", double(view.model()->totalAppended()));
        BenchUtil::emitValue("rows_held", double(view.model()->rowCount()));
        BenchUtil::emitValue("seconds", seconds);
        BenchUtil::emitValue("lines_per_second", double(view.receivedTotal()) / seconds);
        BenchUtil::emitValue("longest_stall_ms", longestStallMs);
        BenchUtil::emitValue("longest_stall_cpu_ms", longestStallCpuMs);
        BenchUtil::emitValue("longest_cpu_stall_ms", longestCpuStallMs);
        BenchUtil::emitValue("rss_mid_kb", double(rssMid));
        BenchUtil::emitValue("rss_end_kb", double(BenchUtil::rssKb(::getpid())));
        BenchUtil::emitValue("rss_peak_kb", double(rssPeak));
        QCoreApplication::exit(error ? 1 : 0);
    };
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const double gap = double(tick.nsecsElapsed()) / 1e6;
        tick.start();
        const double cpu = threadCpuMs();
        const double cpuGap = cpu - lastCpuMs;
        lastCpuMs = cpu;
        if (!measuring)
            return;
        if (gap > longestStallMs) {
            longestStallMs = gap;
            longestStallCpuMs = cpuGap;
        }
        longestCpuStallMs = qMax(longestCpuStallMs, cpuGap);
        const qint64 received = view.receivedTotal();
        if (rssMid < 0 && received >= lines / 2)
            rssMid = BenchUtil::rssKb(::getpid());
        if (++ticks % 100 == 0)
            rssPeak = qMax(rssPeak, BenchUtil::rssKb(::getpid()));
        if (view.model()->totalAppended() >= lines) {
            rssPeak = qMax(rssPeak, BenchUtil::rssKb(::getpid()));
            finish(nullptr);
        }
    });
    QObject::connect(&client, &ApiClient::pullsStarted, &app, [&](const QStringList &ids) {
        LogTarget target;
        target.namespaceName = QStringLiteral("default");
        target.job = ids.value(0);
        target.container = QStringLiteral("push-to-harbor");
        target.tailLines = 100'000;
        view.follow(target);
        QObject::connect(view.stream(), &LogStream::linesReceived, &app, [&] {
            if (!measuring) {
                measuring = true;
                clock.start();
            }
        });
    });
    QObject::connect(&client, &ApiClient::requestFailed, &app,
                     [&](const QString &, const QString &) { finish("request failed"); });
    client.startPulls({image});
    tick.start();
    probe.start();
    // Halfway in time, for a stream too slow to reach half of the lines.
    QTimer::singleShot(maxSeconds * 500, &app, [&] {
        if (rssMid < 0)
            rssMid = BenchUtil::rssKb(::getpid());
    });
    // Time-boxed: a slow stream ends the run with the lines that came (reported, not hidden).
    QTimer::singleShot(maxSeconds * 1000, &app, [&] {
        BenchUtil::emitValue("timed_out", 1);
        finish(nullptr);
    });
    return app.exec();
}
