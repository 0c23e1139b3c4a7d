#include "watchstream.h"

#include "kubejson.h"
#include "kubesimlog.h"
#include "tables.h"

#include <http/httpstream.h>

namespace pw::kubesim {

namespace {
constexpr qint64 kMaxQueuedBytes = 32 * 1024 * 1024;
}

WatchStream::WatchStream(ObjectStore *store, WatchSpec spec, http::HttpStream *stream,
                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_spec(std::move(spec))
    , m_stream(stream) {
    connect(stream, &http::HttpStream::closed, this, &WatchStream::finish);
    connect(stream, &QObject::destroyed, this, &WatchStream::finish);
}

QByteArray WatchStream::eventLine(const QString &type, const QByteArray &objectJson) {
    QByteArray line;
    line.reserve(objectJson.size() + 32);
    line += "{\"type\":\"";
    line += type.toLatin1();
    line += "\",\"object\":";
    line += objectJson;
    line += "}\n";
    return line;
}

void WatchStream::start(bool hasVersion, quint64 version) {
    if (hasVersion && version != 0 && !m_store->canResumeFrom(m_spec.resource, version)) {
        const QByteArray status =
            KubeJson::status(410, QStringLiteral("Expired"),
                             QStringLiteral("too old resource version: %1 (%2)")
                                 .arg(version)
                                 .arg(m_store->oldestResumableVersion(m_spec.resource)));
        m_stream->write(eventLine(QStringLiteral("ERROR"), status));
        finish();
        return;
    }
    connect(m_store, &ObjectStore::changed, this, &WatchStream::onChanged);
    if (m_spec.initialEvents) {
        for (const QJsonObject &o : m_store->list(m_spec.resource, m_spec.ns))
            if (matches(o))
                send(QStringLiteral("ADDED"), o);
        sendBookmark(true);
    } else if (hasVersion && version != 0) {
        for (const StoreEvent &e : m_store->eventsAfter(m_spec.resource, version))
            deliver(e);
    } else {
        for (const QJsonObject &o : m_store->list(m_spec.resource, m_spec.ns))
            if (matches(o))
                send(QStringLiteral("ADDED"), o);
    }
    if (m_spec.bookmarks) {
        connect(&m_bookmarkTimer, &QTimer::timeout, this, [this] { sendBookmark(false); });
        m_bookmarkTimer.start(qMax(10, m_spec.bookmarkIntervalMs));
    }
    if (m_spec.timeoutMs > 0)
        QTimer::singleShot(m_spec.timeoutMs, this, &WatchStream::finish);
    if (m_spec.cutMs > 0)
        QTimer::singleShot(m_spec.cutMs, this, [this] {
            qCDebug(lcKubeSim) << "cutting watch on" << m_spec.resource;
            finish();
        });
}

bool WatchStream::matches(const QJsonObject &object) const {
    if (!m_spec.ns.isEmpty() &&
        KubeJson::at(object, QStringLiteral("metadata.namespace")).toString() != m_spec.ns)
        return false;
    return m_spec.labels.matches(object) && m_spec.fields.matches(object);
}

void WatchStream::onChanged(const StoreEvent &event) {
    if (m_done || event.resource != m_spec.resource)
        return;
    if (m_spec.lagMs > 0) // equal delays: the changes still arrive in order
        QTimer::singleShot(m_spec.lagMs, Qt::PreciseTimer, this, [this, event] { deliver(event); });
    else
        deliver(event);
}

void WatchStream::deliver(const StoreEvent &event) {
    if (m_done)
        return;
    const bool now = matches(event.object);
    if (event.type == QStringLiteral("MODIFIED")) {
        const bool before = matches(event.previous);
        if (now && before)
            send(event.type, event.object);
        else if (now)
            send(QStringLiteral("ADDED"), event.object);
        else if (before)
            send(QStringLiteral("DELETED"), event.object);
        return;
    }
    if (now)
        send(event.type, event.object);
}

void WatchStream::send(const QString &type, const QJsonObject &object) {
    if (m_done || !m_stream)
        return;
    if (m_stream->bufferedBytes() > kMaxQueuedBytes) {
        qCWarning(lcKubeSim) << "watch on" << m_spec.resource << "fell behind; closing it";
        finish();
        return;
    }
    QByteArray json;
    if (m_spec.table) {
        json = KubeJson::compact(Tables::table(
            m_spec.resource, {object}, !m_columnsSent,
            KubeJson::at(object, QStringLiteral("metadata.resourceVersion")).toString()));
        m_columnsSent = true;
    } else {
        json = KubeJson::compact(object);
    }
    m_stream->write(eventLine(type, json));
}

void WatchStream::sendBookmark(bool initialEventsEnd) {
    if (m_done || !m_stream)
        return;
    QJsonObject meta{
        {QStringLiteral("resourceVersion"), QString::number(m_store->currentVersion())},
        {QStringLiteral("creationTimestamp"), QJsonValue::Null}};
    if (initialEventsEnd)
        meta.insert(
            QStringLiteral("annotations"),
            QJsonObject{{QStringLiteral("k8s.io/initial-events-end"), QStringLiteral("true")}});
    const QJsonObject o{{QStringLiteral("kind"), m_spec.kind},
                        {QStringLiteral("apiVersion"), m_spec.apiVersion},
                        {QStringLiteral("metadata"), meta}};
    m_stream->write(eventLine(QStringLiteral("BOOKMARK"), KubeJson::compact(o)));
}

void WatchStream::finish() {
    if (m_done)
        return;
    m_done = true;
    m_bookmarkTimer.stop();
    disconnect(m_store, nullptr, this, nullptr);
    if (m_stream)
        m_stream->end();
    deleteLater();
}

} // namespace pw::kubesim
