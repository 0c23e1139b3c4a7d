#include "kubeinformer.h"

#include "core/clock.h"
#include "kubeclient.h"
#include "kubecredentials.h"
#include "kubelog.h"
#include "kubeobject.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

namespace pw::kube {

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

// Watching: reading the event stream and deciding what follows it.

void KubeInformer::onWatchData() {
    if (!m_reply || m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return; // an error answer is read whole in onWatchFinished
    if (!m_watchGotEvent)
        m_client->noteOutcome(200, {});
    m_idle->start(); // alive
    QList<LineSplitter::Line> lines;
    m_lines.feed(m_reply->readAll(), &lines);
    for (const LineSplitter::Line &line : std::as_const(lines)) {
        if (line.truncated) {
            const QString error =
                QStringLiteral("watch %1: an event is larger than %2 bytes; re-listing")
                    .arg(m_reply->url().path())
                    .arg(m_options.maxLineBytes);
            qCWarning(lcKube).noquote() << error;
            Q_EMIT errorOccurred(error);
            later(&KubeInformer::relist); // cannot know what the dropped event said
            dropWatch();
            return;
        }
        if (!handleLine(line.data) || !m_reply)
            return;
    }
}

bool KubeInformer::handleLine(const QByteArray &line) {
    if (line.trimmed().isEmpty())
        return true;
    m_watchGotEvent = true;
    QJsonParseError parseError;
    const QJsonObject event = QJsonDocument::fromJson(line, &parseError).object();
    const QString type = event.value(QLatin1String("type")).toString();
    const QJsonObject object = event.value(QLatin1String("object")).toObject();
    if (parseError.error != QJsonParseError::NoError || type.isEmpty()) {
        const QString error =
            QStringLiteral("watch %1: invalid event line (%2); re-listing")
                .arg(m_reply->url().path(), parseError.error != QJsonParseError::NoError
                                                ? parseError.errorString()
                                                : QStringLiteral("no type"));
        qCWarning(lcKube).noquote() << error;
        Q_EMIT errorOccurred(error);
        dropWatch();
        relist();
        return false;
    }
    if (type == u"ERROR") {
        const KubeError e = KubeError::fromStatusObject(object, 500);
        dropWatch();
        if (e.isGone()) { // the version we asked for was compacted away
            qCInfo(lcKube).noquote() << "watch expired (410):" << e.message << "- re-listing";
            relist();
        } else {
            Q_EMIT errorOccurred(e.toString());
            later(&KubeInformer::watch);
        }
        return false;
    }
    const QString version = KubeObject::resourceVersion(object);
    if (!version.isEmpty())
        m_resourceVersion = version;
    if (type != u"BOOKMARK") {
        m_client->noteWatchEvent();
        applyEvent(type, object);
    }
    return true;
}

void KubeInformer::applyEvent(const QString &type, const QJsonObject &object) {
    if (type == u"DELETED")
        remove(object);
    else if (type == u"ADDED" || type == u"MODIFIED")
        upsert(object);
    else
        qCWarning(lcKube).noquote() << "watch: unknown event type" << type.left(64);
}

void KubeInformer::upsert(const QJsonObject &object) {
    const QString uid = KubeObject::uid(object);
    auto it = m_store.find(uid);
    if (it == m_store.end()) {
        m_store.insert(uid, object);
        Q_EMIT added(object);
    } else if (KubeObject::resourceVersion(it.value()) != KubeObject::resourceVersion(object)) {
        it.value() = object;
        Q_EMIT modified(object);
    }
}

void KubeInformer::remove(const QJsonObject &object) {
    const QString uid = KubeObject::uid(object);
    if (!m_store.contains(uid))
        Q_EMIT added(object); // never seen: still show its final state once
    m_store.remove(uid);
    Q_EMIT deleted(object);
}

void KubeInformer::onWatchIdle() {
    if (!m_reply)
        return;
    qCWarning(lcKube).noquote() << "watch" << m_reply->url().path() << "silent for"
                                << m_idle->interval() << "ms; reconnecting";
    dropWatch();
    watch(); // from the last version seen
}

void KubeInformer::onWatchFinished() {
    onWatchData(); // what arrived with the end
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    m_idle->stop();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_client->noteOutcome(status, status ? QString() : reply->errorString());
    if (status == 410) {
        qCInfo(lcKube) << "watch expired (HTTP 410) - re-listing";
        relist();
        return;
    }
    if (status != 200) {
        const KubeError e = status
                                ? KubeError::fromResponse(status, reply->readAll().left(64 * 1024))
                                : KubeError::network(reply->errorString());
        if (status == 401)
            m_client->credentials()->invalidate();
        qCWarning(lcKube).noquote() << "watch" << reply->url().path() << "failed:" << e.toString();
        Q_EMIT errorOccurred(e.toString());
        later(&KubeInformer::watch);
        return;
    }
    if (m_lines.hasPartial()) { // cut in the middle of an event: it may be lost
        qCWarning(lcKube) << "watch ended inside an event; re-listing";
        relist();
        return;
    }
    const qint64 lasted =
        m_client->clock()->monotonicMs() - reply->property("startedMs").toLongLong();
    if (m_watchGotEvent || lasted > 1000) {
        m_backoff.reset();
        watch(); // the normal end of a watch: resume from the last version seen
    } else {
        later(&KubeInformer::watch);
    }
}

} // namespace pw::kube
