#include "wspullwatch.h"

#include "wsconnection.h"
#include "wsjson.h"

#include "pulls/pulltracker.h"

namespace pw::server {

WsPullWatch::WsPullWatch(WsConnection *connection, WsStatusHub *hub, QString jobId,
                         QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_hub(hub)
    , m_jobId(std::move(jobId))
{
    m_connection->setParent(this);
    connect(m_connection, &WsConnection::closed, this, &QObject::deleteLater);
    connect(m_connection, &WsConnection::messageReceived, this, [this] {
        m_connection->reject(QStringLiteral("this endpoint takes no messages"));
    });
}

WsPullWatch::~WsPullWatch()
{
    if (m_subscribed)
        m_hub->unsubscribe(this, m_jobId);
}

void WsPullWatch::start()
{
    const std::optional<core::PullJob> job = m_hub->tracker()->find(m_jobId);
    if (!job) {
        // v1: a message without "status" breaks the original's clients; the close says it.
        if (!m_connection->isV1())
            m_connection->send(WsJson::error(QStringLiteral("job not found")));
        m_connection->close(QWebSocketProtocol::CloseCodePolicyViolated,
                            QStringLiteral("job not found"));
        return;
    }
    deliver(*job, WsJson::text(job->toStatusMessage()));
    if (m_connection->isOpen()) {
        m_hub->subscribe(this, m_jobId);
        m_subscribed = true;
    }
}

void WsPullWatch::deliver(const core::PullJob &job, const QString &message)
{
    if (!m_connection->send(message))
        return;
    if (job.isTerminal()) {
        if (m_subscribed) {
            m_hub->unsubscribe(this, m_jobId);
            m_subscribed = false;
        }
        m_connection->close(QWebSocketProtocol::CloseCodeNormal,
                            QStringLiteral("pull %1").arg(core::PullStates::toString(job.status)));
    }
}

} // namespace pw::server
