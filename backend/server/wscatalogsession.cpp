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
            if (!m_snapshotSent)
                return;
            m_jobsToSend.remove(kube::KubeObject::uid(job));
            sendChange("job", "upsert", jobItem(kube::KubeJob(job)));
        });
    connect(m_jobs, &kube::KubeInformer::deleted, this, [this](const QJsonObject &job) {
        if (!m_snapshotSent)
            return;
        m_jobsToSend.remove(kube::KubeObject::uid(job));
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
    QList<kube::KubeJob> jobs = jobsOf(m_jobs->objects());
    sortByName(jobs);
    // A large namespace does not go out as one message the send queue could not hold: the
    // first pods and Jobs (by name; a quarter of the queue at kPodItemBytes a pod, an eighth at
    // kJobItemBytes a Job, at most kSnapshotPods and kSnapshotJobs) are in the snapshot, the
    // rest follow as upserts, as fast as the client reads (pumpRest).
    const qint64 queue = m_connection->maxQueueBytes();
    const qsizetype podsIn = qMin<qsizetype>(
        pods.size(), qBound(qint64(1), queue / (4 * kPodItemBytes), qint64(kSnapshotPods)));
    const qsizetype jobsIn = qMin<qsizetype>(
        jobs.size(), qBound(qint64(1), queue / (8 * kJobItemBytes), qint64(kSnapshotJobs)));
    QJsonArray firstPods;
    for (qsizetype i = 0; i < pods.size(); ++i) {
        if (i < podsIn) {
            firstPods.append(podItem(pods[i]));
        } else {
            m_later.append({false, pods[i].name()});
            m_podsToSend.insert(pods[i].name());
        }
    }
    QJsonArray firstJobs;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        if (i < jobsIn) {
            firstJobs.append(jobItem(jobs[i]));
        } else {
            const QString uid = kube::KubeObject::uid(jobs[i].object());
            m_later.append({true, uid});
            m_jobsToSend.insert(uid);
        }
    }
    m_connection->send(WsJson::text(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("catalog")},
        {QStringLiteral("namespace"), m_ns},
        {QStringLiteral("pods"), firstPods},
        {QStringLiteral("jobs"), firstJobs},
        {QStringLiteral("complete"), m_later.isEmpty()},
    }));
    pumpRest();
}

void WsCatalogSession::pumpRest()
{
    // Sends the snapshot's remaining pods and Jobs while the send queue stays under half its
    // limit; looks again shortly while it is fuller. Each is read from its cache when sent, so
    // one that changed meanwhile goes out in its current state (and only once).
    if (m_later.isEmpty())
        return;
    const qint64 room = m_connection->maxQueueBytes() / 2;
    const qsizetype before = m_laterCursor;
    while (m_connection->isOpen() && m_laterCursor < m_later.size()
           && m_connection->queuedBytes() < room) {
        const Later &next = m_later.at(m_laterCursor++);
        if (next.job) {
            if (!m_jobsToSend.remove(next.key))
                continue; // told already, or deleted
            const QJsonObject job = m_jobs->object(next.key);
            if (!job.isEmpty())
                sendChange("job", "upsert", jobItem(kube::KubeJob(job)));
        } else {
            if (!m_podsToSend.remove(next.key))
                continue;
            const kube::KubePod pod = m_pods->pod(next.key);
            if (!pod.name().isEmpty())
                sendChange("pod", "upsert", podItem(pod));
        }
    }
    if (!m_connection->isOpen())
        return;
    if (m_laterCursor < m_later.size()) {
        // A client that does not read is looked at less and less often (at most once a
        // second); the keep-alive closes it if it stops answering.
        m_pumpDelayMs = m_laterCursor > before ? kPumpRetryMs : qMin(2 * m_pumpDelayMs, 1000);
        QTimer::singleShot(m_pumpDelayMs, this, &WsCatalogSession::pumpRest);
        return;
    }
    m_later.clear();
    m_podsToSend.clear();
    m_jobsToSend.clear();
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
