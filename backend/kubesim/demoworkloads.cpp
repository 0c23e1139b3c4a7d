#include "demoworkloads.h"

#include "containerlog.h"
#include "cranelog.h"
#include "kubejson.h"
#include "logregistry.h"
#include "objectstore.h"
#include "simcontext.h"

#include <QDateTime>
#include <QJsonArray>

namespace pw::kubesim {

namespace {

QByteArray accessLine(qint64 n) {
    static const char *paths[] = {"/",
                                  "/healthz",
                                  "/api/v1/items?page=2",
                                  "/static/app.js",
                                  "/images/logo.png",
                                  "/api/v1/cart",
                                  "/login"};
    static const int codes[] = {200, 200, 200, 304, 200, 201, 302};
    const int i = int(n % 7);
    return "10.244.0." + QByteArray::number(10 + n % 40) + " - - [" +
           QDateTime::currentDateTime()
               .toString(QStringLiteral("dd/MMM/yyyy:HH:mm:ss +0000"))
               .toLatin1() +
           "] \"GET " + paths[i] + " HTTP/1.1\" " + QByteArray::number(codes[i]) + ' ' +
           QByteArray::number(512 + (n * 37) % 9000) + " \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"";
}

QByteArray workerLine(qint64 n) {
    return CraneLog::stamp() + " INFO worker: processed batch " + QByteArray::number(n) + " (" +
           QByteArray::number(100 + n % 50) + " items, " + QByteArray::number(20 + n % 80) + " ms)";
}

QByteArray heartbeatLine(qint64 n) {
    return "level=info ts=" + QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toLatin1() +
           " msg=\"heartbeat\" seq=" + QByteArray::number(n) + " upstream=ok";
}

// JSON lines with a level field, as structured loggers write them.
QByteArray importerLine(qint64 n) {
    return R"({"level":")" + QByteArray(n % 5 == 4 ? "warn" : "info")
        + R"(","ts":")" + QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1()
        + R"(","msg":"imported rows","batch":)" + QByteArray::number(n)
        + R"(,"rows":)" + QByteArray::number(200 + n % 300) + '}';
}

} // namespace

DemoWorkloads::DemoWorkloads(SimContext *context, const QString &ns, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_ns(ns) {
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &DemoWorkloads::tick);
}

void DemoWorkloads::start() {
    addPod(QStringLiteral("web-frontend-7c9d8f6b5-") + KubeJson::randomSuffix(5),
           {{QStringLiteral("nginx"), QStringLiteral("nginx:1.27")}});
    addPod(QStringLiteral("batch-worker-5f7b9c8d4-") + KubeJson::randomSuffix(5),
           {{QStringLiteral("worker"), QStringLiteral("ghcr.io/example/worker:2.3.1")},
            {QStringLiteral("log-shipper"), QStringLiteral("fluent/fluent-bit:3.1")}});
    addPod(QStringLiteral("flaky-importer-6d4c8b7f9-") + KubeJson::randomSuffix(5),
           {{QStringLiteral("importer"), QStringLiteral("ghcr.io/example/importer:0.9.2")}});
    m_timer.start();
}

void DemoWorkloads::startLogBench(int pods, int containers, int ratePerSecond) {
    for (int p = 1; p <= pods; ++p) {
        QList<QPair<QString, QString>> list;
        for (int c = 1; c <= containers; ++c)
            list.append({QStringLiteral("c%1").arg(c), QStringLiteral("busybox:1.36")});
        const qsizetype first = m_containers.size();
        addPod(QStringLiteral("log-bench-%1-").arg(p) + KubeJson::randomSuffix(5), list);
        for (qsizetype i = first; i < m_containers.size(); ++i) {
            Container &c = m_containers[i];
            c.generated = true;
            c.log->generate(CraneLog::stamp() + ' ' + c.name.toLatin1(), 0, ratePerSecond);
        }
    }
}

void DemoWorkloads::addPod(const QString &name, const QList<QPair<QString, QString>> &containers) {
    PodModel pod;
    const QString app = name.section(u'-', 0, 1);
    pod.metadata = {{QStringLiteral("name"), name},
                    {QStringLiteral("namespace"), m_ns},
                    {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), app}}}};
    QJsonArray specContainers;
    for (const auto &[cname, image] : containers)
        specContainers.append(
            QJsonObject{{QStringLiteral("name"), cname}, {QStringLiteral("image"), image}});
    pod.spec = {{QStringLiteral("containers"), specContainers},
                {QStringLiteral("restartPolicy"), QStringLiteral("Always")},
                {QStringLiteral("nodeName"), m_ctx->nodeName}};
    pod.setUpContainers();
    const QString now = KubeJson::nowStamp();
    pod.phase = QStringLiteral("Running");
    pod.hostIp = m_ctx->hostIp;
    pod.podIp = QStringLiteral("10.244.0.%1").arg(20 + m_containers.size());
    pod.startTime = pod.scheduledAt = pod.initializedAt = pod.readyAt = now;
    for (ContainerModel &c : pod.containers) {
        c.state = ContainerModel::State::Running;
        c.reason.clear();
        c.startedAt = now;
        c.pulled = true;
        c.containerId = QStringLiteral("containerd://") + CraneLog::digestOf(name + c.name).mid(7);
    }
    m_pods.insert(name, pod);
    m_ctx->store->create(QStringLiteral("pods"), pod.render());
    for (int i = 0; i < containers.size(); ++i) {
        Container c;
        c.pod = name;
        c.name = containers[i].first;
        c.log = m_ctx->logs->create(m_ns, name, c.name, 0);
        if (c.name == QStringLiteral("nginx")) {
            c.intervalMs = 700;
            c.line = accessLine;
        } else if (c.name == QStringLiteral("worker")) {
            c.intervalMs = 1000;
            c.line = workerLine;
        } else if (c.name == QStringLiteral("importer")) {
            c.intervalMs = 500;
            c.line = importerLine;
            c.crashes = true;
        } else {
            c.intervalMs = 2000;
            c.line = heartbeatLine;
        }
        m_containers << c;
    }
}

void DemoWorkloads::tick() {
    m_elapsedMs += m_timer.interval();
    for (Container &c : m_containers) {
        if (c.crashes) {
            c.runMs += m_timer.interval();
            if (!c.log && c.runMs >= 0) // crash() set -kRestartDelayMs
                restart(c);
            else if (c.log && c.runMs >= kCrashEveryMs)
                crash(c);
        }
        if (!c.log || c.generated || m_elapsedMs % c.intervalMs >= m_timer.interval())
            continue;
        c.log->append(c.line(++c.counter));
    }
}

void DemoWorkloads::crash(Container &c)
{
    c.log->append(QByteArrayLiteral(
        "ERROR importer: lost the connection to postgres:5432 (connection reset by peer); "
        "exiting with code 1"));
    c.log->finish();
    c.log = nullptr;
    c.runMs = -kRestartDelayMs;
    const QString now = KubeJson::nowStamp();
    updateContainer(c.pod, c.name, [&](ContainerModel &m) {
        m.state = ContainerModel::State::Terminated;
        m.reason = QStringLiteral("Error");
        m.exitCode = 1;
        m.finishedAt = now;
    });
}

void DemoWorkloads::restart(Container &c)
{
    int run = 0;
    const QString now = KubeJson::nowStamp();
    updateContainer(c.pod, c.name, [&](ContainerModel &m) {
        m.keepLastState();
        run = m.restartCount;
        m.state = ContainerModel::State::Running;
        m.reason.clear();
        m.exitCode = 0;
        m.startedAt = now;
        m.containerId = QStringLiteral("containerd://")
            + CraneLog::digestOf(c.pod + m.name + QString::number(run)).mid(7);
    });
    c.log = m_ctx->logs->create(m_ns, c.pod, c.name, run);
    c.log->append(QByteArrayLiteral("INFO importer: starting (run ") + QByteArray::number(run)
                  + QByteArrayLiteral(")"));
}

void DemoWorkloads::updateContainer(const QString &pod, const QString &container,
                                    const std::function<void(ContainerModel &)> &change)
{
    auto it = m_pods.find(pod);
    if (it == m_pods.end())
        return;
    for (ContainerModel &m : it->containers)
        if (m.name == container)
            change(m);
    const QJsonObject current = m_ctx->store->get(QStringLiteral("pods"), m_ns, pod);
    if (current.isEmpty())
        return; // deleted: nothing to update
    QJsonObject rendered = it->render();
    rendered.insert(QStringLiteral("metadata"), current.value(QStringLiteral("metadata")));
    m_ctx->store->update(QStringLiteral("pods"), rendered);
}

} // namespace pw::kubesim
