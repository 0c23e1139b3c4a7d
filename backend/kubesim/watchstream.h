#pragma once

#include "objectstore.h"
#include "core/selectors.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace pw::http { class HttpStream; }

namespace pw::kubesim {

// What one watch request asked for.
struct WatchSpec {
    QString resource; // jobs, pods, events, namespaces
    QString kind;     // Job, Pod… (for bookmarks)
    QString apiVersion;
    QString ns; // empty = all namespaces
    core::Selector labels;
    core::Selector fields;
    bool bookmarks = false;
    // sendInitialEvents=true (watch-list): the current objects as ADDED, then a BOOKMARK
    // annotated k8s.io/initial-events-end, then changes.
    bool initialEvents = false;
    bool table = false;
    int timeoutMs = 0; // timeoutSeconds, 0 = none
    int cutMs = 0;     // fault: close the stream after this long, 0 = never
    int lagMs = 0;     // fault: send each change this long after it happened, 0 = at once
    int bookmarkIntervalMs = 1000;
};

// One watch response: newline-delimited JSON events (ADDED, MODIFIED, DELETED, BOOKMARK,
// ERROR) on a chunked HTTP stream. A client that does not read is cut off once 32 MB are
// queued, as the apiserver drops watchers that fall too far behind.
class WatchStream : public QObject {
    Q_OBJECT
public:
    WatchStream(ObjectStore *store, WatchSpec spec, http::HttpStream *stream, QObject *parent);

    // Without a version (or "0"): the current objects as ADDED, then changes. With one: the
    // changes after it, or an ERROR 410 Expired event when the history no longer has them.
    void start(bool hasVersion, quint64 version);
    static QByteArray eventLine(const QString &type, const QByteArray &objectJson);

private:
    bool matches(const QJsonObject &object) const;
    void onChanged(const StoreEvent &event);
    void deliver(const StoreEvent &event);
    void send(const QString &type, const QJsonObject &object);
    void sendBookmark(bool initialEventsEnd);
    void finish();

    ObjectStore *m_store;
    WatchSpec m_spec;
    QPointer<http::HttpStream> m_stream;
    QTimer m_bookmarkTimer;
    bool m_columnsSent = false;
    bool m_done = false;
};

} // namespace pw::kubesim
