// pullwatch-kubesim: the simulated Kubernetes API server as a process (docs/architecture.md §7).
#include "kubesim.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace pw::kubesim;

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int signalNumber) {
    const char c = char(signalNumber);
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1); // async-signal-safe
}

bool parseListen(const QString &text, KubeSimConfig *config) {
    const int colon = text.lastIndexOf(u':');
    if (colon < 0)
        return false;
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host.isEmpty() ? QStringLiteral("127.0.0.1") : host);
    if (!ok || port > 65535 || address.isNull())
        return false;
    config->address = address;
    config->port = quint16(port);
    return true;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pullwatch-kubesim"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A simulated Kubernetes API server for demos and tests."));
    parser.addHelpOption();
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address and port (default 127.0.0.1:0, any free port)."),
        QStringLiteral("host:port"), QStringLiteral("127.0.0.1:0"));
    const QCommandLineOption tls(
        QStringLiteral("tls"),
        QStringLiteral(
            "Serve HTTPS with a CA and certificate generated at start (needs openssl)."));
    const QCommandLineOption token(QStringLiteral("token"),
                                   QStringLiteral("Bearer token required of clients."),
                                   QStringLiteral("token"));
    const QCommandLineOption forbidden(
        QStringLiteral("forbidden-token"),
        QStringLiteral(
            "A token that authenticates but is refused with 403 (default kubesim-forbidden)."),
        QStringLiteral("token"));
    const QCommandLineOption clientCa(
        QStringLiteral("client-ca"),
        QStringLiteral("Authenticate clients presenting a certificate signed by this CA (PEM)."),
        QStringLiteral("file"));
    const QCommandLineOption issueCert(
        QStringLiteral("issue-client-cert"),
        QStringLiteral("Generate a client certificate and put it into the kubeconfig."));
    const QCommandLineOption kubeconfig(
        QStringLiteral("write-kubeconfig"),
        QStringLiteral("Write a kubeconfig for this server to file."), QStringLiteral("file"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
                                      QStringLiteral("Scenario file (JSON)."),
                                      QStringLiteral("file"));
    const QCommandLineOption timeScale(
        QStringLiteral("time-scale"),
        QStringLiteral("Multiply simulated durations (0.1 = ten times faster)."),
        QStringLiteral("factor"));
    const QCommandLineOption demo(
        QStringLiteral("demo-workloads"),
        QStringLiteral("Run long-running pods with steady logs in namespace demo."));
    const QCommandLineOption ns(QStringLiteral("namespace"),
                                QStringLiteral("Default namespace of the kubeconfig context."),
                                QStringLiteral("name"), QStringLiteral("default"));
    const QCommandLineOption logBench(
        QStringLiteral("log-bench"),
        QStringLiteral("Run PODS pods labelled app=log-bench in namespace demo, each with "
                       "CONTAINERS containers writing RATE lines a second."),
        QStringLiteral("PODS,CONTAINERS,RATE"));
    parser.addOptions({listen, tls, token, forbidden, clientCa, issueCert, kubeconfig, scenario,
                       timeScale, demo, ns, logBench});
    parser.process(app);

    KubeSimConfig config;
    if (!parseListen(parser.value(listen), &config)) {
        std::fprintf(stderr,
                     "pullwatch-kubesim: --listen wants host:port (e.g. 127.0.0.1:6443), got %s\n",
                     qPrintable(parser.value(listen)));
        return 2;
    }
    config.tls = parser.isSet(tls);
    config.token = parser.value(token);
    if (parser.isSet(forbidden))
        config.forbiddenToken = parser.value(forbidden);
    config.clientCaFile = parser.value(clientCa);
    config.issueClientCertificate = parser.isSet(issueCert);
    config.scenarioFile = parser.value(scenario);
    config.demoWorkloads = parser.isSet(demo);
    if (parser.isSet(logBench)) {
        const QStringList parts = parser.value(logBench).split(u',');
        bool ok = parts.size() == 3;
        int values[3] = {0, 0, 0};
        for (int i = 0; ok && i < 3; ++i)
            values[i] = parts[i].toInt(&ok);
        if (!ok || values[0] < 1 || values[0] > 1000 || values[1] < 1 || values[1] > 10 ||
            values[2] < 0 || values[2] > 100000) {
            std::fprintf(stderr, "pullwatch-kubesim: --log-bench wants PODS,CONTAINERS,RATE: "
                                 "1-1000 pods, 1-10 containers, 0-100000 lines a second\n");
            return 2;
        }
        config.logBenchPods = values[0];
        config.logBenchContainers = values[1];
        config.logBenchRate = values[2];
    }
    config.defaultNamespace = parser.value(ns);
    if (parser.isSet(timeScale)) {
        bool ok = false;
        config.timeScale = parser.value(timeScale).toDouble(&ok);
        if (!ok || config.timeScale <= 0) {
            std::fprintf(stderr, "pullwatch-kubesim: --time-scale wants a positive number\n");
            return 2;
        }
    }
    if ((!config.clientCaFile.isEmpty() || config.issueClientCertificate) && !config.tls) {
        std::fprintf(stderr, "pullwatch-kubesim: client certificates need --tls\n");
        return 2;
    }

    KubeSim sim(config);
    QString error;
    if (!sim.start(&error)) {
        std::fprintf(stderr, "pullwatch-kubesim: %s\n", qPrintable(error));
        return 1;
    }
    if (parser.isSet(kubeconfig) && !sim.writeKubeconfig(parser.value(kubeconfig), &error)) {
        std::fprintf(stderr, "pullwatch-kubesim: %s\n", qPrintable(error));
        return 1;
    }

    if (::pipe(g_signalPipe) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&sim] {
            char c = 0;
            [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
            sim.stop();
            QCoreApplication::quit();
        });
    }
    std::printf("kubesim listening on %s\n", qPrintable(sim.url().toString()));
    std::fflush(stdout);
    return app.exec();
}
