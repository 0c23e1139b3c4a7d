#pragma once

#include "core/backoff.h"
#include "metricssnapshot.h"
#include "podinfo.h"

#include "core/envelope.h"
#include "core/pulljob.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>

#include <functional>

namespace pw::ui {

class LogStream;
struct LogTarget;

// The window's one connection to a Pullwatch backend, embedded or remote (docs/architecture.md §1):
// REST calls with the bearer token, the /ws/image-pull-all feed, health checks with
// automatic reconnection and backoff, and the factory for /ws/pod-logs streams.
class ApiClient : public QObject {
    Q_OBJECT
public:
    // Unauthorized: the server refused the token (401); nothing is retried until a new token
    // is given (setToken), so a wrong token never runs into the login throttle.
    // Throttled: the server said 429; checked again when its Retry-After has passed.
    enum class State { Connecting, Connected, Unreachable, Unauthorized, Throttled };
    Q_ENUM(State)

    ApiClient(const QUrl &baseUrl, const QString &token, QObject *parent = nullptr);
    ~ApiClient() override;

    QUrl baseUrl() const { return m_base; }
    State state() const { return m_state; }
    QString stateDetail() const { return m_stateDetail; }
    bool liveUpdates() const { return m_live; }
    bool hasToken() const { return !m_authorization.isEmpty(); }
    // On the demo cluster, what its image names do ([{keyword, outcome, example}], from
    // /api/version); empty elsewhere.
    QJsonArray demoOutcomes() const { return m_demoOutcomes; }
    // When a Throttled client checks again (local time); invalid otherwise.
    QDateTime retryAt() const { return m_retryAt; }
    // Replaces the bearer token and checks the connection again at once.
    void setToken(const QString &token);
    // Starts health checks, polling and the live feed.
    void start();

    void refreshActive();
    void refreshFailed();
    void setFailedLimit(int limit) { m_failedLimit = qBound(1, limit, 500); }
    void fetchPull(const QString &jobId);
    // One page of GET /images/pull-history; `last` (the previous page's last pull) empty for
    // the first.
    void fetchHistory(const QString &status, int limit, const core::PullJob &last = {});
    void startPulls(const QStringList &references);
    // POST /images/pull-preview: where each reference would be copied (`harbor_target`) and
    // the pull it would join, or the server's reason it would be refused (`refused`: a 400 or
    // 409, which POST /images/pull would answer too). Nothing is started; `done` is called
    // only while `context` lives.
    using PreviewHandler =
        std::function<void(const QJsonArray &rows, const QString &error, bool refused)>;
    void previewPulls(const QStringList &references, QObject *context, PreviewHandler done);
    void retryPull(const QString &jobId);
    void cancelPull(const QString &jobId);
    void fetchNamespaces();
    void fetchPods(const QString &namespaceName, const QString &job = QString());
    void fetchMetrics();
    // GET /api/session: whether this client's credential may start, retry and cancel pulls
    // (the operator role, docs/architecture.md §6). Asked on every (re)connection.
    void fetchSession();
    bool canOperate() const { return m_canOperate; }
    // A stream of /ws/pod-logs for `target`, owned by `parent`; not yet started.
    LogStream *openLogStream(const LogTarget &target, QObject *parent);

    QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;
    QNetworkRequest requestFor(const QUrl &url) const;
    // Opens `socket` on `path` (ws:// or wss:// like the backend, with the token), asking for
    // the v2 messages (subprotocol "pullwatch.v2", docs/api.md "Protocol versions"): the
    // window reads acks, stream states, gaps and errors.
    void openWebSocket(QWebSocket &socket, const QString &path, const QUrlQuery &query = {}) const;

Q_SIGNALS:
    void stateChanged(ApiClient::State state, const QString &detail);
    void liveUpdatesChanged(bool live);
    void activePullsReceived(const QList<core::PullJob> &pulls);
    void failedPullsReceived(const QList<core::PullJob> &pulls);
    void pullUpdated(const core::PullJob &pull); // live status message, or how a vanished pull ended
    void pullDetailReceived(const core::PullJob &pull);
    void historyReceived(const QString &status, const QList<core::PullJob> &pulls, bool firstPage);
    void pullsStarted(const QStringList &jobIds);
    void pullRetried(const QString &jobId, const QString &newJobId);
    void pullCancelled(const QString &jobId);
    void pullsChanged(); // something finished: lists are worth refreshing
    void namespacesReceived(const QStringList &names);
    void podsReceived(const QString &namespaceName, const QString &job, const QList<PodInfo> &pods);
    void metricsReceived(const MetricsSnapshot &metrics);
    void requestFailed(const QString &what, const QString &error);
    void canOperateChanged(bool canOperate);

private:
    using Handler = std::function<void(const core::Envelope::Parsed &)>;
    void call(const QByteArray &method, const QString &what, const QUrl &url,
              const QByteArray &body, Handler onSuccess);
    void checkHealth();
    // 401 and 429 end retrying (until a new token, or until Retry-After); true if handled.
    bool handleAuthStatus(QNetworkReply *reply, int status);
    void setState(State state, const QString &detail);
    void poll();
    void connectFeed();
    void onFeedMessage(const QString &message);
    void onFeedClosed();
    void noteFinished(const core::PullJob &pull);

    QUrl m_base;
    QByteArray m_authorization; // "Bearer …", never logged
    QNetworkAccessManager m_network;
    QWebSocket m_feed;
    State m_state = State::Connecting;
    QString m_stateDetail;
    bool m_started = false;
    bool m_live = false;
    QNetworkReply *m_healthReply = nullptr;
    QDateTime m_retryAt;
    QJsonArray m_demoOutcomes;
    int m_failedLimit = 100;
    int m_pollTick = 0;
    bool m_canOperate = true;
    core::Backoff m_healthBackoff;
    core::Backoff m_feedBackoff{1000, 30'000};
    QTimer m_healthTimer;
    QTimer m_pollTimer;
    QTimer m_feedRetry;
};

} // namespace pw::ui
