#include "demoworkloads.h"

#include "containerlog.h"
#include "cranelog.h"
#include "kubejson.h"
#include "logregistry.h"
#include "objectstore.h"
#include "simcontext.h"

#include <QDateTime>
#include <QJsonArray>

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
    m_timer.start();
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
        if (!c.log || m_elapsedMs % c.intervalMs >= m_timer.interval())
            continue;
        c.log->append(c.line(++c.counter));
    }
}
