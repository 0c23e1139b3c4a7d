#pragma once

#include "podmodel.h"

#include <QHash>
#include <QList>

#include <functional>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace pw::kubesim {

class ContainerLog;
struct SimContext;

// Long-running ordinary pods with steady, realistic log output (a web server's access log,
// a worker's progress, a sidecar's heartbeats), so a log viewer has something to show. Each
// is labelled app=<first two parts of its name>; batch-worker has two containers; the
// importer of flaky-importer exits with code 1 every kCrashEveryMs and is restarted a
// second later (restartCount, lastState and a new log: previous=true reads the old one).
class DemoWorkloads : public QObject {
    Q_OBJECT
public:
    DemoWorkloads(SimContext *context, const QString &ns, QObject *parent);
    void start();
    // `pods` pods labelled app=log-bench, each with `containers` containers named c1, c2, …
    // that write `ratePerSecond` generated lines a second, endlessly (ContainerLog::generate:
    // nothing stored, nothing to tick). For benchmarks of merged streams.
    void startLogBench(int pods, int containers, int ratePerSecond);

    static constexpr int kCrashEveryMs = 6000;
    static constexpr int kRestartDelayMs = 1000;

private:
    struct Container {
        QString pod;
        QString name;
        QPointer<ContainerLog> log;
        int intervalMs;
        qint64 counter = 0;
        QByteArray (*line)(qint64 counter);
        bool crashes = false;
        bool generated = false; // the log writes itself (startLogBench)
        qint64 runMs = 0; // time running in this run; < 0: terminated, restarting
    };
    void addPod(const QString &name, const QList<QPair<QString, QString>> &containers);
    void tick();
    void crash(Container &c);
    void restart(Container &c);
    void updateContainer(const QString &pod, const QString &container,
                         const std::function<void(ContainerModel &)> &change);

    SimContext *m_ctx;
    QString m_ns;
    QList<Container> m_containers;
    QHash<QString, PodModel> m_pods; // by name
    QTimer m_timer;
    qint64 m_elapsedMs = 0;
};

} // namespace pw::kubesim
