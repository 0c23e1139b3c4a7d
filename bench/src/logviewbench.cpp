// pwbench-logview: the desktop log view (ui/LogView + LogModel) on the offscreen platform,
// following a kubesim chatty pod that writes --lines lines at full speed through Pullwatch.
// Starts the pull itself (ApiClient::startPulls), follows its job's copy container, and
// measures the longest event-loop stall with a 1 ms precise timer, and the process RSS.
//   --base http://127.0.0.1:PORT [--image bench/viewflood-1:1] [--lines 500000]
#include "benchutil.h"

#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logstream.h"
#include "ui/logview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <unistd.h>

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QUrl base(BenchUtil::option(args, "base"));
    const QString image = BenchUtil::option(args, "image", QStringLiteral("bench/viewflood-1:1"));
    const qint64 lines = BenchUtil::option(args, "lines", QStringLiteral("500000")).toLongLong();

    ApiClient client(base, QString());
    LogView view(&client);
    view.resize(1200, 800);
    view.show();

    QElapsedTimer clock;
    QElapsedTimer tick;
    double longestStallMs = 0;
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
        BenchUtil::emitValue("rss_mid_kb", double(rssMid));
        BenchUtil::emitValue("rss_end_kb", double(BenchUtil::rssKb(::getpid())));
        BenchUtil::emitValue("rss_peak_kb", double(rssPeak));
        QCoreApplication::exit(error ? 1 : 0);
    };
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const double gap = double(tick.nsecsElapsed()) / 1e6;
        tick.start();
        if (!measuring)
            return;
        longestStallMs = qMax(longestStallMs, gap);
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
    QTimer::singleShot(120'000, &app, [&] { finish("timeout"); });
    return app.exec();
}
