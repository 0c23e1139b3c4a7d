#pragma once

#include "core/backoff.h"
#include "kubeerror.h"
#include "linesplitter.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

class QNetworkReply;
class QTimer;

namespace pw::kube {

class KubeClient;
class KubeCall;

// List + watch of Jobs or Pods matching a label selector, keeping a local store keyed by
// uid. Lists, then watches from the list's resourceVersion with allowWatchBookmarks;
// resumes from the last version seen (bookmarks included) when a watch ends or breaks;
// re-lists on 410 Gone (HTTP status or ERROR event) or on a broken stream line, and emits
// the differences. Consumers see each object added once, every change as modified (only
// when its resourceVersion moved), and deleted once.
class KubeInformer : public QObject {
    Q_OBJECT
public:
    enum class Resource { Jobs, Pods };
    Q_ENUM(Resource)

    struct Options {
        qint64 maxLineBytes = 16 * 1024 * 1024;
        int watchTimeoutSeconds = 300; // asked of the server; it ends the watch after that
        // A watch silent this long (no event, no bookmark, no end) is presumed dead — a
        // connection lost without a FIN — and replaced. 0: the timeout plus one minute.
        int idleTimeoutMs = 0;
        int retryInitialMs = 250;
        int retryMaxMs = 30'000;
    };

    // `ns` empty: all namespaces.
    KubeInformer(KubeClient *client, Resource resource, QString ns, QString labelSelector,
                 QObject *parent = nullptr);
    ~KubeInformer() override;

    void setOptions(const Options &options);
    void start();
    void stop();
    bool hasSynced() const { return m_synced; }
    QList<QJsonObject> objects() const { return m_store.values(); }
    QJsonObject object(const QString &uid) const { return m_store.value(uid); }
    QString resourceVersion() const { return m_resourceVersion; }
    int relistCount() const { return m_relists; }
    int watchCount() const { return m_watches; }

Q_SIGNALS:
    void added(const QJsonObject &object);
    void modified(const QJsonObject &object);
    void deleted(const QJsonObject &object);
    // The first list finished (and after every re-list).
    void synced();
    void errorOccurred(const QString &error);

private:
    QString path(QString *error) const;
    void relist();
    void onListed(KubeCall *call);
    void watch();
    void onWatchOpened(QNetworkReply *reply, const QString &error);
    void onWatchData();
    void onWatchFinished();
    bool handleLine(const QByteArray &line);
    void applyEvent(const QString &type, const QJsonObject &object);
    void upsert(const QJsonObject &object);
    void remove(const QJsonObject &object);
    void later(void (KubeInformer::*what)());
    void dropWatch();
    void onWatchIdle();

    QPointer<KubeClient> m_client;
    Resource m_resource;
    QString m_namespace;
    QString m_selector;
    Options m_options;
    QHash<QString, QJsonObject> m_store; // uid → object
    QString m_resourceVersion;
    QPointer<QNetworkReply> m_reply;
    LineSplitter m_lines;
    core::Backoff m_backoff;
    QTimer *m_timer;
    QTimer *m_idle;
    void (KubeInformer::*m_pending)() = nullptr;
    bool m_running = false;
    bool m_synced = false;
    bool m_watchGotEvent = false;
    int m_relists = 0;
    int m_watches = 0;
    quint64 m_generation = 0; // bumps on stop() so stale callbacks are ignored
};

} // namespace pw::kube
