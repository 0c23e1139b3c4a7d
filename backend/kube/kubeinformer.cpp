#include "kubeinformer.h"

#include "kubeclient.h"
#include "kubecredentials.h"
#include "kubelog.h"
#include "kubeobject.h"
#include "core/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

KubeInformer::KubeInformer(KubeClient *client, Resource resource, QString ns, QString labelSelector,
                           QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_resource(resource)
    , m_namespace(std::move(ns))
    , m_selector(std::move(labelSelector))
    , m_lines(m_options.maxLineBytes)
    , m_timer(new QTimer(this))
    , m_idle(new QTimer(this)) {
    m_idle->setSingleShot(true);
    connect(m_idle, &QTimer::timeout, this, &KubeInformer::onWatchIdle);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_running && m_pending)
            (this->*m_pending)();
    });
    m_backoff.setLimits(m_options.retryInitialMs, m_options.retryMaxMs);
}

KubeInformer::~KubeInformer() {
    stop();
}

void KubeInformer::setOptions(const Options &options) {
    m_options = options;
    m_lines = LineSplitter(options.maxLineBytes);
    m_backoff.setLimits(options.retryInitialMs, options.retryMaxMs);
}

QString KubeInformer::path(QString *error) const {
    return m_resource == Resource::Jobs ? KubeClient::jobsPath(m_namespace, error)
                                        : KubeClient::podsPath(m_namespace, error);
}

void KubeInformer::start() {
    if (m_running)
        return;
    m_running = true;
    relist();
}

void KubeInformer::stop() {
    m_running = false;
    ++m_generation;
    m_timer->stop();
    dropWatch();
}

void KubeInformer::later(void (KubeInformer::*what)()) {
    m_pending = what;
    m_timer->start(m_backoff.nextDelayMs());
}

void KubeInformer::dropWatch() {
    m_idle->stop();
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->abort();
    m_reply->deleteLater();
    m_reply = nullptr;
}

void KubeInformer::relist() {
    if (!m_running || !m_client)
        return;
    dropWatch();
    ++m_relists;
    QString error;
    const QString p = path(&error);
    if (!error.isEmpty()) {
        Q_EMIT errorOccurred(error);
        return;
    }
    KubeCall *call = m_client->send(
        "GET", p,
        KubeQuery().addIf(!m_selector.isEmpty(), QStringLiteral("labelSelector"), m_selector));
    const quint64 generation = m_generation;
    connect(call, &KubeCall::finished, this, [this, generation](KubeCall *c) {
        if (generation == m_generation)
            onListed(c);
    });
}

void KubeInformer::onListed(KubeCall *call) {
    const QJsonObject list = call->object();
    if (!call->ok() || !list.value(QLatin1String("items")).isArray()) {
        const QString error =
            call->ok() ? QStringLiteral("the list answer has no items") : call->error().toString();
        qCWarning(lcKube).noquote() << "list" << call->url().path() << "failed:" << error;
        Q_EMIT errorOccurred(error);
        later(&KubeInformer::relist);
        return;
    }
    QHash<QString, QJsonObject> fresh;
    for (const QJsonValue &v : list.value(QLatin1String("items")).toArray())
        fresh.insert(KubeObject::uid(v.toObject()), v.toObject());
    // Deleted while we were not watching: report with the last state we knew.
    const QList<QString> known = m_store.keys();
    for (const QString &uid : known)
        if (!fresh.contains(uid))
            Q_EMIT deleted(m_store.take(uid));
    for (auto it = fresh.cbegin(); it != fresh.cend(); ++it)
        upsert(it.value());
    m_resourceVersion =
        KubeObject::metadata(list).value(QLatin1String("resourceVersion")).toString();
    m_synced = true;
    m_backoff.reset();
    Q_EMIT synced();
    watch();
}

void KubeInformer::watch() {
    if (!m_running || !m_client)
        return;
    QString error;
    const QString p = path(&error);
    ++m_watches;
    KubeQuery query;
    query.add(QStringLiteral("watch"), QStringLiteral("1"))
        .add(QStringLiteral("resourceVersion"), m_resourceVersion)
        .add(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"))
        .add(QStringLiteral("timeoutSeconds"), QString::number(m_options.watchTimeoutSeconds))
        .addIf(!m_selector.isEmpty(), QStringLiteral("labelSelector"), m_selector);
    const quint64 generation = m_generation;
    m_client->openStream(m_client->url(p, query), this,
                         [this, generation](QNetworkReply *reply, const QString &error) {
                             if (generation != m_generation) {
                                 if (reply)
                                     reply->deleteLater();
                                 return;
                             }
                             onWatchOpened(reply, error);
                         });
}

void KubeInformer::onWatchOpened(QNetworkReply *reply, const QString &error) {
    if (!reply) {
        Q_EMIT errorOccurred(error);
        later(&KubeInformer::watch);
        return;
    }
    m_reply = reply;
    m_lines.reset();
    m_watchGotEvent = false;
    reply->setProperty("startedMs", m_client->clock()->monotonicMs());
    m_idle->start(m_options.idleTimeoutMs > 0 ? m_options.idleTimeoutMs
                                              : (m_options.watchTimeoutSeconds + 60) * 1000);
    connect(reply, &QNetworkReply::readyRead, this, &KubeInformer::onWatchData);
    connect(reply, &QNetworkReply::finished, this, &KubeInformer::onWatchFinished);
}
