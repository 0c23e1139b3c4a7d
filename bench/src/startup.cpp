// pwbench-startup: time from starting `pullwatch --headless` until /healthz answers 200,
// polling every millisecond on a fresh connection; --runs times, each a new process.
//   --binary PATH [--runs 10] [-- extra pullwatch arguments]
#include "benchutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool healthy(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(50))
        return false;
    socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                 + "\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (answer.size() < 12 && socket.waitForReadyRead(1000))
        answer += socket.readAll();
    return answer.startsWith("HTTP/1.1 200");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString binary = BenchUtil::option(args, "binary");
    const int runs = BenchUtil::option(args, "runs", QStringLiteral("10")).toInt();
    const int dash = int(args.indexOf(QStringLiteral("--")));
    const QStringList extra = dash >= 0 ? args.mid(dash + 1) : QStringList();
    QList<double> samples;
    for (int run = 0; run < runs; ++run) {
        const quint16 port = freePort();
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.setStandardOutputFile(QProcess::nullDevice());
        QElapsedTimer clock;
        clock.start();
        process.start(binary, QStringList{QStringLiteral("--headless"), QStringLiteral("--listen"),
                                          QStringLiteral("127.0.0.1:%1").arg(port)} + extra);
        bool up = false;
        while (!up && clock.elapsed() < 10'000 && process.state() != QProcess::NotRunning) {
            up = healthy(port);
            if (!up)
                QThread::usleep(1000);
        }
        const double ms = double(clock.nsecsElapsed()) / 1e6;
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
        process.waitForFinished(2000);
        if (!up) {
            BenchUtil::emitText("error", QStringLiteral("no /healthz answer within 10 s"));
            return 1;
        }
        samples << ms;
        BenchUtil::emitValue("sample_ms", ms);
    }
    BenchUtil::emitValue("startup_median_ms", BenchUtil::percentile(samples, 50));
    BenchUtil::emitValue("startup_min_ms", BenchUtil::percentile(samples, 0));
    BenchUtil::emitValue("startup_max_ms", BenchUtil::percentile(samples, 100));
    return 0;
}
