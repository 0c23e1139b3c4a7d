#pragma once

#include "core/backoff.h"
#include "kubeerror.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkReply;
class QTimer;

namespace pw::kube {

class KubeClient;

// One API request, retried as needed: network failures and 429/5xx answers with
// exponential backoff (idempotent methods always; POST only when the connection was
// refused, so a create is never sent twice); a 401 once after refreshing the credentials.
// Emits finished() exactly once, then deletes itself.
class KubeCall : public QObject {
    Q_OBJECT
public:
    KubeCall(KubeClient *client, QByteArray method, QUrl url, QByteArray body);

    bool ok() const { return m_error.isNull(); }
    const KubeError &error() const { return m_error; }
    int httpStatus() const { return m_status; }
    const QByteArray &body() const { return m_body; }
    // The answer as a JSON object (empty when it was not one).
    QJsonObject object() const;
    QUrl url() const { return m_url; }
    int attempts() const { return m_attempts; }
    void abort();

    // Starts on the next event-loop pass (so callers can connect first).
    void start();
    // Finishes with an error on the next event-loop pass (invalid input).
    void failLater(KubeError error);

Q_SIGNALS:
    void finished(KubeCall *call);

private:
    void attempt();
    void send();
    void onReply();
    bool shouldRetry(int status, int networkError) const;
    void retryLater();
    void finish(KubeError error);

    QPointer<KubeClient> m_client;
    QByteArray m_method;
    QUrl m_url;
    QByteArray m_requestBody;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_retryTimer;
    core::Backoff m_backoff;
    int m_attempts = 0;
    bool m_retried401 = false;
    bool m_done = false;
    int m_status = 0;
    QByteArray m_body;
    KubeError m_error;
};

} // namespace pw::kube
