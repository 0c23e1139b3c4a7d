#include "kubeinformer.h"

#include "kubeclient.h"
#include "kubecredentials.h"
#include "kubelog.h"
#include "kubeobject.h"
#include "core/clock.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

// The watch half of KubeInformer: reading the event stream and deciding what follows it.

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
    if (type != u"BOOKMARK")
        applyEvent(type, object);
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
