#pragma once

#include "core/notifyqueue.h"
#include "core/pulljob.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;
namespace pw::core { class Clock; }

namespace pw::pulls {

struct NotifySettings {
    QStringList urls;               // --notify-url, each gets every callback
    QByteArray secret;              // --notify-secret-file: the HMAC-SHA256 key
    int firstRetryMs = 5000;        // doubled after each failed attempt…
    int maxRetryMs = 5 * 60 * 1000; // …up to this
    int giveUpMs = 60 * 60 * 1000;  // an hour after it was queued
    int timeoutMs = 10'000;         // one attempt
};

// Completion callbacks (docs/architecture.md §13): when a pull completes, fails or is
// cancelled, its JSON is POSTed to every --notify-url, signed with
// X-Pullwatch-Signature: sha256=<hex HMAC-SHA256 of the body>. Undelivered callbacks wait in
// the history store's queue (they survive restarts; with Redis one replica queues each and
// one makes each attempt) and are retried with backoff for up to an hour.
class Notifier : public QObject {
    Q_OBJECT
public:
    Notifier(NotifySettings settings, core::NotifyQueue *queue, core::Clock *clock,
             QObject *parent = nullptr);

    // Picks up what is queued (from an earlier run, or a replica that stopped).
    void start();
    // A pull reached a final state (completed, failed, cancelled) with its details.
    void pullFinished(const core::PullJob &job);

    static QByteArray signature(const QByteArray &secret, const QByteArray &body);
    quint64 delivered() const { return m_delivered; }

private:
    void take(const QList<core::Notification> &queued);
    void tick();
    void attempt(const core::Notification &n);
    void onReply(core::Notification n, QNetworkReply *reply);

    NotifySettings m_settings;
    core::NotifyQueue *m_queue;
    core::Clock *m_clock;
    QNetworkAccessManager *m_network;
    QTimer m_timer;
    QTimer m_rescan;
    QHash<QString, core::Notification> m_pending; // key → next attempt
    QSet<QString> m_inFlight;
    quint64 m_delivered = 0;
};

} // namespace pw::pulls
