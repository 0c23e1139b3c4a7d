#include "kubecall.h"

#include "kubeclient.h"
#include "kubecredentials.h"
#include "kubelog.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

namespace pw::kube {

namespace {
constexpr qint64 kMaxBodyBytes = 64 * 1024 * 1024;
}

KubeCall::KubeCall(KubeClient *client, QByteArray method, QUrl url, QByteArray body)
    : QObject(client)
    , m_client(client)
    , m_method(std::move(method))
    , m_url(std::move(url))
    , m_requestBody(std::move(body))
    , m_retryTimer(new QTimer(this)) {
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &KubeCall::attempt);
    const KubeClient::Options &o = client->options();
    m_backoff.setLimits(o.retryInitialMs, o.retryMaxMs);
}

QJsonObject KubeCall::object() const {
    return QJsonDocument::fromJson(m_body).object();
}

void KubeCall::start() {
    QMetaObject::invokeMethod(this, &KubeCall::attempt, Qt::QueuedConnection);
}

void KubeCall::failLater(KubeError error) {
    QMetaObject::invokeMethod(
        this, [this, error] { finish(error); }, Qt::QueuedConnection);
}

void KubeCall::abort() {
    finish(KubeError::network(QStringLiteral("aborted")));
}

void KubeCall::attempt() {
    if (m_done || !m_client)
        return;
    ++m_attempts;
    m_client->credentials()->withCurrent(this, [this](const QString &error) {
        if (!error.isEmpty()) {
            m_client->noteAuthFailure(error);
            finish(KubeError::auth(error));
            return;
        }
        send();
    });
}

void KubeCall::send() {
    const QNetworkRequest request = m_client->makeRequest(m_url, false);
    QNetworkAccessManager *nam = m_client->manager();
    m_reply = m_requestBody.isEmpty() && m_method != "POST"
                  ? nam->sendCustomRequest(request, m_method)
                  : nam->sendCustomRequest(request, m_method, m_requestBody);
    connect(m_reply, &QNetworkReply::finished, this, &KubeCall::onReply);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        if (m_reply->bytesAvailable() + m_body.size() > kMaxBodyBytes)
            m_reply->abort(); // bounded memory: an answer this large is not an API object
    });
}

bool KubeCall::shouldRetry(int status, int networkError) const {
    if (m_attempts > m_client->options().maxRetries)
        return false;
    const bool idempotent = m_method != "POST" && m_method != "PATCH";
    if (status == 0) // no HTTP answer
        return idempotent || networkError == QNetworkReply::ConnectionRefusedError;
    return status == 429 || status == 503 ||
           (idempotent && (status == 500 || status == 502 || status == 504));
}

void KubeCall::onReply() {
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_done)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const auto netError = reply->error();
    m_client->noteOutcome(status, status ? QString() : reply->errorString());
    if (status == 401 && !m_retried401 && m_client->credentials()->invalidate()) {
        m_retried401 = true; // a rotated token file or an expired exec credential
        attempt();
        return;
    }
    if (shouldRetry(status, netError)) {
        retryLater();
        return;
    }
    m_status = status;
    m_body = reply->readAll();
    if (status == 0)
        finish(KubeError::network(
            QStringLiteral("%1 %2: %3")
                .arg(QString::fromLatin1(m_method), m_url.path(), reply->errorString())));
    else if (status >= 400)
        finish(KubeError::fromResponse(status, m_body));
    else
        finish({});
}

void KubeCall::retryLater() {
    const int delay = m_backoff.nextDelayMs();
    qCDebug(lcKube) << m_method << m_url.path() << "failed; retry in" << delay << "ms";
    m_retryTimer->start(delay);
}

void KubeCall::finish(KubeError error) {
    if (m_done)
        return;
    m_done = true;
    m_retryTimer->stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_error = std::move(error);
    Q_EMIT finished(this);
    deleteLater();
}

} // namespace pw::kube
