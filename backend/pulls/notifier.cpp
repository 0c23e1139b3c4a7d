#include "notifier.h"

#include "pullslog.h"

#include "core/clock.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace pw::pulls {

namespace {

constexpr int kTickMs = 250;
constexpr int kRescanMs = 60'000;
constexpr int kMaxPending = 10'000;
constexpr int kBusyRetryMs = 1000;

QString keyOf(const core::PullJob &job, const QString &url) {
    const QByteArray urlHash =
        QCryptographicHash::hash(url.toUtf8(), QCryptographicHash::Sha256).toHex().left(12);
    return job.id + u'/' + core::PullStates::toString(job.status) + u'/' + QString::fromLatin1(urlHash);
}

} // namespace

Notifier::Notifier(NotifySettings settings, core::NotifyQueue *queue, core::Clock *clock,
                   QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_queue(queue)
    , m_clock(clock)
    , m_network(new QNetworkAccessManager(this)) {
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &Notifier::tick);
    // What another replica queued and could not deliver (it stopped) is taken over here.
    m_rescan.setInterval(kRescanMs);
    connect(&m_rescan, &QTimer::timeout, this, [this] {
        m_queue->pending([this](const QList<core::Notification> &queued) { take(queued); });
    });
}

void Notifier::start() {
    m_queue->pending([this](const QList<core::Notification> &queued) {
        if (!queued.isEmpty())
            qCInfo(lcPulls) << queued.size() << "completion callbacks are still to be delivered";
        take(queued);
    });
    m_timer.start();
    m_rescan.start();
}

void Notifier::take(const QList<core::Notification> &queued) {
    int deferred = 0;
    for (const core::Notification &n : queued) {
        if (m_pending.contains(n.key) || m_inFlight.contains(n.key))
            continue;
        if (m_pending.size() >= kMaxPending) {
            ++deferred; // still queued in the store: a later rescan takes it
            continue;
        }
        m_pending.insert(n.key, n);
    }
    if (deferred)
        qCWarning(lcPulls) << deferred << "completion callbacks wait beyond" << kMaxPending
                           << "in memory; they stay queued and are taken later";
}

QByteArray Notifier::signature(const QByteArray &secret, const QByteArray &body) {
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

void Notifier::pullFinished(const core::PullJob &job) {
    if (!job.isTerminal())
        return;
    const QByteArray body = QJsonDocument(job.toDetailJson()).toJson(QJsonDocument::Compact);
    const QDateTime now = m_clock->now();
    for (const QString &url : m_settings.urls) {
        core::Notification n;
        n.key = keyOf(job, url);
        n.url = url;
        n.body = body;
        n.firstAt = now;
        n.due = now;
        // Every replica sees the pull finish; the queue lets one of them queue the callback.
        m_queue->add(n, [this, n](bool added) {
            if (added)
                take({n});
        });
    }
}

void Notifier::tick() {
    const QDateTime now = m_clock->now();
    const auto pending = m_pending;
    for (const core::Notification &n : pending) {
        if (n.due > now || m_inFlight.contains(n.key))
            continue;
        m_pending.remove(n.key);
        m_inFlight.insert(n.key);
        // One attempt at a time across replicas: the lease outlives the attempt's timeout.
        m_queue->lease(
            n, m_settings.timeoutMs + 5000,
            [this, n](core::NotifyQueue::Lease lease, const core::Notification &current) {
                if (lease == core::NotifyQueue::Lease::Mine && current.due > m_clock->now()) {
                    // Another replica tried meanwhile and set the next attempt: wait for it.
                    m_inFlight.remove(n.key);
                    m_queue->update(current);
                    m_pending.insert(current.key, current);
                    return;
                }
                if (lease == core::NotifyQueue::Lease::Mine) {
                    attempt(current);
                    return;
                }
                m_inFlight.remove(n.key);
                if (lease ==
                    core::NotifyQueue::Lease::Busy) { // another replica is at it: look again soon
                    core::Notification later = n;
                    later.due = m_clock->now().addMSecs(kBusyRetryMs);
                    m_pending.insert(later.key, later);
                }
            });
    }
}

void Notifier::attempt(const core::Notification &n) {
    QNetworkRequest request{QUrl(n.url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("User-Agent", "pullwatch");
    request.setRawHeader("X-Pullwatch-Delivery", n.key.toUtf8());
    if (!m_settings.secret.isEmpty())
        request.setRawHeader("X-Pullwatch-Signature", signature(m_settings.secret, n.body));
    request.setTransferTimeout(m_settings.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->post(request, n.body);
    connect(reply, &QNetworkReply::finished, this, [this, n, reply] { onReply(n, reply); });
}

void Notifier::onReply(core::Notification n, QNetworkReply *reply) {
    reply->deleteLater();
    m_inFlight.remove(n.key);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
        m_queue->remove(n.key);
        ++m_delivered;
        qCInfo(lcPulls).noquote() << "callback" << n.key << "delivered to" << reply->url().host();
        return;
    }
    const QString why = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
    ++n.attempts;
    const QDateTime now = m_clock->now();
    if (n.firstAt.msecsTo(now) >= m_settings.giveUpMs) {
        m_queue->remove(n.key);
        qCWarning(lcPulls).noquote() << "callback" << n.key << "to" << reply->url().host()
                                     << "given up after" << n.attempts << "attempts:" << why;
        return;
    }
    const qint64 delay = qMin<qint64>(qint64(m_settings.firstRetryMs) << qMin(n.attempts - 1, 20),
                                      m_settings.maxRetryMs);
    n.due = now.addMSecs(delay);
    m_queue->update(n);
    m_pending.insert(n.key, n);
    qCWarning(lcPulls).noquote() << "callback" << n.key << "to" << reply->url().host()
                                 << "failed:" << why << "- next attempt in" << delay / 1000.0
                                 << "s";
}

} // namespace pw::pulls
