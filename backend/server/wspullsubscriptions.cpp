#include "wspullsubscriptions.h"

#include "wsclientmessage.h"
#include "wsjson.h"

#include "pulls/pulltracker.h"

#include <QJsonArray>

#include <algorithm>

namespace pw::server {

WsPullSubscriptions::WsPullSubscriptions(WsConnection *connection, WsStatusHub *hub,
                                         int maxSubscriptions, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_hub(hub)
    , m_max(maxSubscriptions)
{
    m_connection->setParent(this);
    m_connection->setHandler(this);
}

WsPullSubscriptions::~WsPullSubscriptions()
{
    if (m_all)
        m_hub->unsubscribe(this, WsStatusHub::kAll);
    for (const QString &id : std::as_const(m_ids))
        m_hub->unsubscribe(this, id);
}

void WsPullSubscriptions::deliver(const core::PullJob &, const QString &message)
{
    m_connection->send(message);
}

void WsPullSubscriptions::connectionClosed()
{
    deleteLater();
}

void WsPullSubscriptions::connectionMessage(const QString &message)
{
    const core::Result<WsClientMessage> parsed = WsClientMessage::parse(message.toUtf8());
    if (!parsed) {
        m_connection->reject(parsed.error());
        return;
    }
    if (parsed->action == WsClientMessage::Action::Subscribe)
        subscribe(parsed->jobId);
    else
        unsubscribe(parsed->jobId);
}

QJsonArray WsPullSubscriptions::snapshot(const QString &id) const
{
    QJsonArray out;
    if (id == WsStatusHub::kAll) {
        for (const core::PullJob &job : m_hub->tracker()->active())
            out.append(job.toStatusMessage());
    } else if (const std::optional<core::PullJob> job = m_hub->tracker()->find(id)) {
        out.append(job->toStatusMessage());
    }
    return out;
}

bool WsPullSubscriptions::isSubscribed(const QString &id) const
{
    if (id == WsStatusHub::kAll)
        return m_all;
    return std::binary_search(m_ids.cbegin(), m_ids.cend(), id);
}

void WsPullSubscriptions::subscribe(const QString &id)
{
    // v1 has no acknowledgement that could say "nothing known by that id" (docs/api.md).
    if (m_connection->isV1() && id != WsStatusHub::kAll && !m_hub->tracker()->find(id)) {
        m_connection->reject(QStringLiteral("job not found: %1").arg(id));
        return;
    }
    if (!isSubscribed(id)) {
        if (subscriptionCount() >= m_max) {
            m_connection->reject(
                QStringLiteral("too many subscriptions: at most %1 per connection").arg(m_max));
            return;
        }
        if (id == WsStatusHub::kAll)
            m_all = true;
        else
            m_ids.insert(std::lower_bound(m_ids.begin(), m_ids.end(), id), id);
    }
    m_hub->subscribe(this, id);
    // Sent after subscribing in the same event-loop pass: no change can fall between.
    if (m_connection->isV1()) {
        // No ack in v1: the snapshot goes out as the status messages it holds.
        for (const QJsonValue &status : snapshot(id))
            m_connection->send(WsJson::text(status.toObject()));
        return;
    }
    m_connection->send(WsJson::text({{QStringLiteral("type"), QStringLiteral("subscribed")},
                                     {QStringLiteral("job_id"), id},
                                     {QStringLiteral("snapshot"), snapshot(id)}}));
}

void WsPullSubscriptions::unsubscribe(const QString &id)
{
    bool removed = false;
    if (id == WsStatusHub::kAll) {
        removed = m_all;
        m_all = false;
    } else {
        const auto it = std::lower_bound(m_ids.begin(), m_ids.end(), id);
        removed = it != m_ids.end() && *it == id;
        if (removed)
            m_ids.erase(it);
    }
    if (!removed) {
        m_connection->reject(QStringLiteral("not subscribed to '%1'").arg(id));
        return;
    }
    m_hub->unsubscribe(this, id);
    if (m_connection->isV1())
        return; // no acks in v1
    m_connection->send(WsJson::text({{QStringLiteral("type"), QStringLiteral("unsubscribed")},
                                     {QStringLiteral("job_id"), id}}));
}

} // namespace pw::server
