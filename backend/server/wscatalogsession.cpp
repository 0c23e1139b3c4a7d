#include "wscatalogsession.h"

#include "wsconnection.h"
#include "wsjson.h"

#include "kube/kubeinformer.h"
#include "kube/kubejob.h"
#include "kube/kubeobject.h"
#include "kube/kubepod.h"
#include "logs/namespacepods.h"
#include "logs/podcatalog.h"
#include "pulls/pullmanifest.h"

#include <QJsonArray>

#include <algorithm>

namespace pw::server {

namespace {

template<typename View>
void sortByName(QList<View> &items)
{
    std::sort(items.begin(), items.end(),
              [](const View &a, const View &b) { return a.name() < b.name(); });
}

template<typename View>
QJsonArray sortedByName(QList<View> items, QJsonObject (*item)(const View &))
{
    sortByName(items);
    QJsonArray out;
    for (const View &o : std::as_const(items))
        out.append(item(o));
    return out;
}

QList<kube::KubeJob> jobsOf(const QList<QJsonObject> &objects)
{
    QList<kube::KubeJob> jobs;
    jobs.reserve(objects.size());
    for (const QJsonObject &o : objects)
        jobs.append(kube::KubeJob(o));
    return jobs;
}

} // namespace

WsCatalogSession::WsCatalogSession(WsConnection *connection, QString ns, logs::PodCatalog *catalog,
                                   QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_ns(std::move(ns))
    , m_catalog(catalog)
{
    m_connection->setParent(this);
    connect(m_connection, &WsConnection::closed, this, &QObject::deleteLater);
    connect(m_connection, &WsConnection::messageReceived, this, [this] {
        m_connection->reject(QStringLiteral("this endpoint takes no messages"));
    });
    m_namespacePoll.setInterval(kNamespacesPollMs);
    connect(&m_namespacePoll, &QTimer::timeout, this, &WsCatalogSession::pollNamespaces);
}

WsCatalogSession::~WsCatalogSession()
{
    if (m_pods)
        m_catalog->release(m_pods);
}

void WsCatalogSession::start()
{
    if (m_connection->isV1()) {
        // A message type the original service never had (docs/api.md "Protocol versions").
        const QString error = QStringLiteral("/ws/catalog is a Pullwatch v2 endpoint: ask for the "
                                             "subprotocol pullwatch.v2 (or v=2)");
        m_connection->send(WsJson::error(error));
        m_connection->close(QWebSocketProtocol::CloseCodePolicyViolated, error);
        return;
    }
    m_pods = m_catalog->acquire(m_ns);
    connect(m_pods, &logs::NamespacePods::podChanged, this, [this](const kube::KubePod &pod) {
        if (!m_snapshotSent)
            return;
        m_podsToSend.remove(pod.name()); // told now, in its current state
        sendChange("pod", "upsert", podItem(pod));
    });
    connect(m_pods, &logs::NamespacePods::podDeleted, this, [this](const kube::KubePod &pod) {
        if (!m_snapshotSent)
            return;
        m_podsToSend.remove(pod.name());
        sendChange("pod", "delete", podItem(pod));
    });
    connect(m_pods, &logs::NamespacePods::synced, this, &WsCatalogSession::sendSnapshot);
    m_jobs = m_pods->jobs();
    for (auto signal : {&kube::KubeInformer::added, &kube::KubeInformer::modified})
        connect(m_jobs, signal, this, [this](const QJsonObject &job) {
            if (m_snapshotSent)
                sendChange("job", "upsert", jobItem(kube::KubeJob(job)));
        });
    connect(m_jobs, &kube::KubeInformer::deleted, this, [this](const QJsonObject &job) {
        if (m_snapshotSent)
            sendChange("job", "delete", jobItem(kube::KubeJob(job)));
    });
    connect(m_jobs, &kube::KubeInformer::synced, this, &WsCatalogSession::sendSnapshot);
    sendSnapshot();
    pollNamespaces();
    m_namespacePoll.start();
}

void WsCatalogSession::sendSnapshot()
{
    // Once both lists are in; a re-list later is told change by change by the caches.
    if (m_snapshotSent || !m_pods->hasSynced() || !m_jobs->hasSynced())
        return;
    m_snapshotSent = true;
    QList<kube::KubePod> pods = m_pods->pods();
    sortByName(pods);
    // A large namespace does not go out as one message the send queue could not hold: the
    // first pods (by name; a quarter of the queue at kPodItemBytes each, at most
    // kSnapshotPods) are in the snapshot, the rest follow as upserts, as fast as the client
    // reads (pumpPods).
    const qsizetype fit =
        qBound(qint64(1), m_connection->maxQueueBytes() / (4 * kPodItemBytes), qint64(kSnapshotPods));
    const qsizetype inSnapshot = qMin<qsizetype>(pods.size(), fit);
    QJsonArray first;
    for (qsizetype i = 0; i < inSnapshot; ++i)
        first.append(podItem(pods[i]));
    for (qsizetype i = inSnapshot; i < pods.size(); ++i) {
        m_podOrder.append(pods[i].name());
        m_podsToSend.insert(pods[i].name());
    }
    m_connection->send(WsJson::text(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("catalog")},
        {QStringLiteral("namespace"), m_ns},
        {QStringLiteral("pods"), first},
        {QStringLiteral("jobs"), sortedByName(jobsOf(m_jobs->objects()), &WsCatalogSession::jobItem)},
        {QStringLiteral("complete"), m_podsToSend.isEmpty()},
    }));
    pumpPods();
}

void WsCatalogSession::pumpPods()
{
    // Sends the snapshot's remaining pods while the send queue stays under half its limit;
    // looks again shortly while it is fuller. Each is read from the cache when sent, so a
    // pod that changed meanwhile goes out in its current state (and only once).
    if (m_podOrder.isEmpty())
        return;
    const qint64 room = m_connection->maxQueueBytes() / 2;
    const qsizetype before = m_podCursor;
    while (m_connection->isOpen() && m_podCursor < m_podOrder.size()
           && m_connection->queuedBytes() < room) {
        const QString name = m_podOrder.at(m_podCursor++);
        if (!m_podsToSend.remove(name))
            continue; // told already, or deleted
        const kube::KubePod pod = m_pods->pod(name);
        if (!pod.name().isEmpty())
            sendChange("pod", "upsert", podItem(pod));
    }
    if (!m_connection->isOpen())
        return;
    if (m_podCursor < m_podOrder.size()) {
        // A client that does not read is looked at less and less often (at most once a
        // second); the keep-alive closes it if it stops answering.
        m_pumpDelayMs = m_podCursor > before ? kPumpRetryMs : qMin(2 * m_pumpDelayMs, 1000);
        QTimer::singleShot(m_pumpDelayMs, this, &WsCatalogSession::pumpPods);
        return;
    }
    m_podOrder.clear();
    m_podsToSend.clear();
    m_connection->send(WsJson::text(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("catalog_complete")},
        {QStringLiteral("namespace"), m_ns},
    }));
}

void WsCatalogSession::sendChange(const char *type, const char *action, const QJsonObject &item)
{
    m_connection->send(WsJson::text(QJsonObject{
        {QStringLiteral("type"), QString::fromLatin1(type)},
        {QStringLiteral("action"), QString::fromLatin1(action)},
        {QStringLiteral("namespace"), m_ns},
        {QString::fromLatin1(type), item},
    }));
}

void WsCatalogSession::pollNamespaces()
{
    if (m_polling)
        return;
    m_polling = true;
    m_catalog->listNamespaces(this, [this](const QList<QJsonObject> &items, const QString &error) {
        m_polling = false;
        if (!error.isEmpty())
            return; // asked again at the next poll; the lists of this namespace go on
        QStringList names;
        for (const QJsonObject &ns : items)
            names.append(kube::KubeObject::name(ns));
        if (names == m_namespaces)
            return;
        m_namespaces = names;
        m_connection->send(WsJson::text(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("namespaces")},
            {QStringLiteral("namespaces"), QJsonArray::fromStringList(names)},
        }));
    });
}

QJsonObject WsCatalogSession::podItem(const kube::KubePod &pod)
{
    QJsonObject o = logs::NamespacePods::summary(pod);
    o.insert(QStringLiteral("images"), QJsonArray::fromStringList(pod.images()));
    if (pod.hasLabels())
        o.insert(QStringLiteral("labels"), pod.labels());
    o.insert(QStringLiteral("restarts"), pod.restarts());
    return o;
}

QJsonObject WsCatalogSession::jobItem(const kube::KubeJob &job)
{
    QString image = job.annotations().value(pulls::PullManifest::kSourceAnnotation).toString();
    if (image.isEmpty())
        image = job.firstImage();
    const QString finished = job.finishedCondition();
    QJsonObject o{
        {QStringLiteral("name"), job.name()},
        {QStringLiteral("image"), image},
        {QStringLiteral("status"), finished.isEmpty() ? QStringLiteral("Running") : finished},
        {QStringLiteral("active"), job.active()},
        {QStringLiteral("succeeded"), job.succeeded()},
        {QStringLiteral("failed"), job.failed()},
    };
    if (!job.createdAt().isEmpty())
        o.insert(QStringLiteral("created_at"), job.createdAt());
    return o;
}

} // namespace pw::server
