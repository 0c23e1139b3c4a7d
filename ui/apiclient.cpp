#include "apiclient.h"

#include "logstream.h"
#include "uilog.h"

#include "core/wsprotocolname.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkReply>
#include <QWebSocketHandshakeOptions>

namespace pw::ui {

namespace {

QList<core::PullJob> pullsFrom(const QJsonValue &data) {
    QList<core::PullJob> out;
    for (const QJsonValue &v : data.toArray()) {
        core::PullJob p = core::PullJob::fromJson(v.toObject());
        if (!p.id.isEmpty())
            out.append(p);
    }
    return out;
}

QString describe(const core::Envelope::Parsed &e) {
    return e.error.isEmpty() ? e.message : e.error;
}

} // namespace

ApiClient::ApiClient(const QUrl &baseUrl, const QString &token, QObject *parent)
    : QObject(parent)
    , m_base(baseUrl) {
    if (!token.isEmpty())
        m_authorization = "Bearer " + token.toUtf8();
    m_healthTimer.setSingleShot(true);
    connect(&m_healthTimer, &QTimer::timeout, this, &ApiClient::checkHealth);
    m_pollTimer.setInterval(1000);
    connect(&m_pollTimer, &QTimer::timeout, this, &ApiClient::poll);
    m_feedRetry.setSingleShot(true);
    connect(&m_feedRetry, &QTimer::timeout, this, &ApiClient::connectFeed);
    connect(&m_feed, &QWebSocket::connected, this, [this] {
        m_feedBackoff.reset();
        const QJsonObject subscribe{{QStringLiteral("action"), QStringLiteral("subscribe")},
                                    {QStringLiteral("job_id"), QStringLiteral("*")}};
        m_feed.sendTextMessage(
            QString::fromUtf8(QJsonDocument(subscribe).toJson(QJsonDocument::Compact)));
    });
    connect(&m_feed, &QWebSocket::textMessageReceived, this, &ApiClient::onFeedMessage);
    connect(&m_feed, &QWebSocket::disconnected, this, &ApiClient::onFeedClosed);
}

ApiClient::~ApiClient() {
    m_feed.disconnect(this);
    m_feed.abort();
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery &query) const {
    QUrl url = m_base;
    QString base = url.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    url.setQuery(query);
    return url;
}

QNetworkRequest ApiClient::requestFor(const QUrl &url) const {
    QNetworkRequest request(url);
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization", m_authorization);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(15'000);
    return request;
}

void ApiClient::start() {
    if (m_started)
        return;
    m_started = true;
    checkHealth();
    m_pollTimer.start();
}

void ApiClient::setState(State state, const QString &detail) {
    if (state == m_state && detail == m_stateDetail)
        return;
    const bool becameConnected = state == State::Connected && m_state != State::Connected;
    m_state = state;
    m_stateDetail = detail;
    qCInfo(lcUi).noquote() << "backend" << m_base.toString() << "is"
                           << QVariant::fromValue(state).toString() << detail;
    Q_EMIT stateChanged(state, detail);
    if (becameConnected) {
        fetchSession();
        refreshActive();
        refreshFailed();
        fetchMetrics();
        if (m_feed.state() == QAbstractSocket::UnconnectedState)
            connectFeed();
    }
}

void ApiClient::checkHealth() {
    if (m_healthReply)
        return;
    // /api/version needs the token where one is required (/healthz does not): a wrong
    // token shows as a problem at once, not as a connected window whose calls all fail.
    QNetworkRequest request = requestFor(urlFor(QStringLiteral("/api/version")));
    request.setTransferTimeout(5000);
    QNetworkReply *reply = m_network.get(request);
    m_healthReply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_healthReply != reply)
            return; // replaced by a check with a new token
        m_healthReply = nullptr;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (handleAuthStatus(reply, status))
            return;
        if (reply->error() == QNetworkReply::NoError || (status > 0 && status < 500)) {
            m_demoOutcomes = QJsonDocument::fromJson(reply->readAll())
                                 .object()
                                 .value(QStringLiteral("demo"))
                                 .toObject()
                                 .value(QStringLiteral("outcomes"))
                                 .toArray();
            m_healthBackoff.reset();
            setState(State::Connected, QString());
            m_healthTimer.start(5000);
        } else {
            const int delay = m_healthBackoff.nextDelayMs();
            setState(
                State::Unreachable,
                tr("%1; retrying every %2 s").arg(reply->errorString()).arg(qMax(1, delay / 1000)));
            m_healthTimer.start(delay);
        }
    });
}

namespace {

// Retry-After (RFC 9110 §10.2.3): seconds, or an HTTP date; 60 s when absent or unreadable.
int retryAfterSeconds(QNetworkReply *reply) {
    const QByteArray value = reply->rawHeader("Retry-After").trimmed();
    bool ok = false;
    const int seconds = value.toInt(&ok);
    if (ok && seconds >= 0)
        return seconds;
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (at.isValid())
        return int(qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(at)));
    return 60;
}

} // namespace

bool ApiClient::handleAuthStatus(QNetworkReply *reply, int status) {
    if (status == 401) {
        m_healthTimer.stop();
        m_retryAt = QDateTime();
        setState(State::Unauthorized,
                 hasToken() ? tr("the server refused the API token (401)")
                            : tr("the server needs an API token (401) and none was given"));
        return true;
    }
    if (status == 429) {
        const int seconds = retryAfterSeconds(reply);
        m_retryAt = QDateTime::currentDateTime().addSecs(seconds);
        setState(State::Throttled,
                 tr("too many refused tokens from this address (429); the server accepts a "
                    "token again at %1 (in %2 s)")
                     .arg(QLocale().toString(m_retryAt.time(), QLocale::ShortFormat))
                     .arg(seconds));
        m_healthTimer.start(seconds * 1000);
        return true;
    }
    return false;
}

void ApiClient::setToken(const QString &token) {
    m_authorization =
        token.trimmed().isEmpty() ? QByteArray() : "Bearer " + token.trimmed().toUtf8();
    if (!m_started)
        return;
    if (m_healthReply) {
        QNetworkReply *old = m_healthReply;
        m_healthReply = nullptr;
        old->abort();
    }
    m_healthTimer.stop();
    m_healthBackoff.reset();
    m_feed.abort(); // it was opened with the old token
    setState(State::Connecting, tr("checking the new token"));
    checkHealth();
}

void ApiClient::poll() {
    if (m_state != State::Connected)
        return;
    ++m_pollTick;
    // Without the live feed the tables poll every 2 s; with it, a slow resync only.
    if (m_pollTick % (m_live ? 15 : 2) == 0)
        refreshActive();
    if (m_pollTick % 15 == 0)
        refreshFailed();
    if (m_pollTick % 5 == 0)
        fetchMetrics();
}

void ApiClient::call(const QByteArray &method, const QString &what, const QUrl &url,
                     const QByteArray &body, Handler onSuccess) {
    QNetworkReply *reply = m_network.sendCustomRequest(requestFor(url), method, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, what, onSuccess] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0) {
            Q_EMIT requestFailed(what, reply->errorString());
            const int delay = m_healthBackoff.nextDelayMs();
            setState(
                State::Unreachable,
                tr("%1; retrying every %2 s").arg(reply->errorString()).arg(qMax(1, delay / 1000)));
            m_healthTimer.start(delay);
            return;
        }
        if ((status == 401 || status == 429) && m_state == State::Connected)
            handleAuthStatus(reply, status); // the token was revoked or changed meanwhile
        const core::Envelope::Parsed parsed = core::Envelope::parse(reply->readAll());
        if (status >= 200 && status < 300 && parsed.ok) {
            onSuccess(parsed);
            return;
        }
        const QString error =
            parsed.ok || !parsed.error.isEmpty() ? describe(parsed) : reply->errorString();
        qCWarning(lcUi).noquote() << what << "failed:" << status << error;
        Q_EMIT requestFailed(what, tr("HTTP %1: %2").arg(status).arg(error));
    });
}

void ApiClient::refreshActive() {
    call("GET", QStringLiteral("active pulls"), urlFor(QStringLiteral("/images/pull-active")), {},
         [this](const core::Envelope::Parsed &e) { Q_EMIT activePullsReceived(pullsFrom(e.data)); });
}

void ApiClient::refreshFailed() {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QString::number(m_failedLimit));
    call("GET", QStringLiteral("failed pulls"), urlFor(QStringLiteral("/images/pull-failed"), q),
         {}, [this](const core::Envelope::Parsed &e) { Q_EMIT failedPullsReceived(pullsFrom(e.data)); });
}

void ApiClient::fetchPull(const QString &jobId) {
    call("GET", tr("pull %1").arg(jobId),
         urlFor(QStringLiteral("/images/pull/") +
                QString::fromLatin1(QUrl::toPercentEncoding(jobId))),
         {}, [this](const core::Envelope::Parsed &e) {
             const core::PullJob pull = core::PullJob::fromJson(e.data.toObject());
             Q_EMIT pullDetailReceived(pull);
         });
}

void ApiClient::fetchHistory(const QString &status, int limit, const core::PullJob &last) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("status"), status);
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    const bool firstPage = last.id.isEmpty() || !last.finishedAt.isValid();
    if (!firstPage) {
        q.addQueryItem(QStringLiteral("before"),
                       last.finishedAt.toUTC().toString(Qt::ISODateWithMs));
        q.addQueryItem(QStringLiteral("before_id"), last.id);
    }
    call("GET", tr("history"), urlFor(QStringLiteral("/images/pull-history"), q), {},
         [this, status, firstPage](const core::Envelope::Parsed &e) {
             Q_EMIT historyReceived(status, pullsFrom(e.data), firstPage);
         });
}

void ApiClient::startPulls(const QStringList &references) {
    const QJsonObject body{{QStringLiteral("names"), QJsonArray::fromStringList(references)}};
    call("POST", tr("start pulls"), urlFor(QStringLiteral("/images/pull")),
         QJsonDocument(body).toJson(QJsonDocument::Compact), [this](const core::Envelope::Parsed &e) {
             QStringList ids;
             for (const QJsonValue &v :
                  e.data.toObject().value(QStringLiteral("job_ids")).toArray())
                 ids.append(v.toString());
             Q_EMIT pullsStarted(ids);
             refreshActive();
         });
}

void ApiClient::previewPulls(const QStringList &references, QObject *context,
                             PreviewHandler done) {
    const QJsonObject body{{QStringLiteral("names"), QJsonArray::fromStringList(references)}};
    QNetworkReply *reply =
        m_network.sendCustomRequest(requestFor(urlFor(QStringLiteral("/images/pull-preview"))),
                                    "POST", QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(reply, &QNetworkReply::finished, context, [reply, done] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const core::Envelope::Parsed parsed = core::Envelope::parse(reply->readAll());
        if (status >= 200 && status < 300 && parsed.ok) {
            done(parsed.data.toArray(), QString(), false);
            return;
        }
        const QString error =
            status == 0 || (!parsed.ok && parsed.error.isEmpty()) ? reply->errorString()
                                                                  : describe(parsed);
        done({}, error, status == 400 || status == 409);
    });
}

void ApiClient::retryPull(const QString &jobId) {
    const QString path = QStringLiteral("/images/pull/%1/retry")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(jobId)));
    call("POST", tr("retry %1").arg(jobId), urlFor(path), {},
         [this, jobId](const core::Envelope::Parsed &e) {
             const QJsonObject o = e.data.toObject();
             QString newId = o.value(QStringLiteral("job_id")).toString();
             if (newId.isEmpty())
                 newId = o.value(QStringLiteral("job_ids")).toArray().first().toString();
             Q_EMIT pullRetried(jobId, newId);
             refreshActive();
             refreshFailed();
         });
}

void ApiClient::cancelPull(const QString &jobId) {
    const QString path =
        QStringLiteral("/images/pull/") + QString::fromLatin1(QUrl::toPercentEncoding(jobId));
    call("DELETE", tr("cancel %1").arg(jobId), urlFor(path), {},
         [this, jobId](const core::Envelope::Parsed &) {
             Q_EMIT pullCancelled(jobId);
             refreshActive();
         });
}

void ApiClient::fetchSession() {
    call("GET", tr("session"), urlFor(QStringLiteral("/api/session")), {},
         [this](const core::Envelope::Parsed &e) {
             // Without a role (an older server, or no authentication) everything is allowed.
             const bool canOperate =
                 e.data.toObject().value(QStringLiteral("role")).toString() !=
                 QStringLiteral("viewer");
             if (canOperate == m_canOperate)
                 return;
             m_canOperate = canOperate;
             Q_EMIT canOperateChanged(canOperate);
         });
}

void ApiClient::fetchNamespaces() {
    call("GET", tr("namespaces"), urlFor(QStringLiteral("/namespaces")), {},
         [this](const core::Envelope::Parsed &e) {
             Q_EMIT namespacesReceived(PodInfo::namesFromJson(e.data));
         });
}

void ApiClient::fetchPods(const QString &namespaceName, const QString &job) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("namespace"), namespaceName);
    if (!job.isEmpty())
        q.addQueryItem(QStringLiteral("job"), job);
    call("GET", tr("pods"), urlFor(QStringLiteral("/pods"), q), {},
         [this, namespaceName, job](const core::Envelope::Parsed &e) {
             Q_EMIT podsReceived(namespaceName, job, PodInfo::listFromJson(e.data));
         });
}

void ApiClient::fetchMetrics() {
    QNetworkReply *reply = m_network.get(requestFor(urlFor(QStringLiteral("/metrics"))));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::NoError)
            Q_EMIT metricsReceived(MetricsSnapshot::parse(reply->readAll()));
    });
}

LogStream *ApiClient::openLogStream(const LogTarget &target, QObject *parent) {
    return new LogStream(this, target, parent);
}

void ApiClient::connectFeed() {
    if (m_state != State::Connected || m_feed.state() != QAbstractSocket::UnconnectedState)
        return;
    openWebSocket(m_feed, QStringLiteral("/ws/image-pull-all"));
}

void ApiClient::openWebSocket(QWebSocket &socket, const QString &path,
                              const QUrlQuery &query) const {
    QUrl url = urlFor(path, query);
    url.setScheme(m_base.scheme() == QStringLiteral("https") ? QStringLiteral("wss")
                                                             : QStringLiteral("ws"));
    QNetworkRequest request(url);
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization", m_authorization);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({core::WsProtocolName::v2()});
    socket.open(request, options);
}

void ApiClient::onFeedMessage(const QString &message) {
    const QJsonObject o = QJsonDocument::fromJson(message.toUtf8()).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type == QStringLiteral("subscribed")) {
        if (!m_live) {
            m_live = true;
            Q_EMIT liveUpdatesChanged(true);
        }
        // The snapshot of the subscription: the pulls active right now.
        for (const core::PullJob &p : pullsFrom(o.value(QStringLiteral("snapshot"))))
            Q_EMIT pullUpdated(p);
    } else if (type == QStringLiteral("status")) {
        const core::PullJob pull = core::PullJob::fromJson(o);
        Q_EMIT pullUpdated(pull);
        noteFinished(pull);
    } else if (type == QStringLiteral("error")) {
        qCWarning(lcUi).noquote() << "pull feed:" << o.value(QStringLiteral("error")).toString();
    }
}

void ApiClient::noteFinished(const core::PullJob &pull) {
    if (pull.isTerminal())
        Q_EMIT pullsChanged();
}

void ApiClient::onFeedClosed() {
    if (m_live) {
        m_live = false;
        Q_EMIT liveUpdatesChanged(false);
        refreshActive();
    }
    if (m_state == State::Connected)
        m_feedRetry.start(m_feedBackoff.nextDelayMs());
}

} // namespace pw::ui
