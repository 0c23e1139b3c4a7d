#pragma once

#include "wsconnection.h"
#include "wsstatushub.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>

namespace pw::server {

// /ws/image-pull-all: the client subscribes and unsubscribes by job id or "*"
// ({"action":"subscribe","job_id":…}); each subscription is acknowledged with a snapshot
// ({"type":"subscribed","job_id":…,"snapshot":[status…]}); then status messages. Bad
// messages get an error naming the problem (WsConnection closes with 1008 after repeated
// abuse); at most maxSubscriptions per connection. Thousands of these sit idle on "*", so
// each one is small: no signal connection (its connection calls it as a handler), "*" as a
// flag and job ids in a sorted list rather than a hash (bench/FINDINGS.md §4).
// A v1 client (WsProtocol) gets no acks: a subscription's snapshot comes as status messages,
// and a bad message, or a subscription to a job that is not known, closes with 1008.
class WsPullSubscriptions : public QObject, public WsStatusSubscriber, public WsConnectionHandler
{
    Q_OBJECT
public:
    WsPullSubscriptions(WsConnection *connection, WsStatusHub *hub, int maxSubscriptions,
                        QObject *parent = nullptr);
    ~WsPullSubscriptions() override;

    void deliver(const core::PullJob &job, const QString &message) override;
    void connectionMessage(const QString &message) override;
    void connectionClosed() override;

private:
    void subscribe(const QString &id);
    void unsubscribe(const QString &id);
    bool isSubscribed(const QString &id) const;
    int subscriptionCount() const { return int(m_ids.size()) + (m_all ? 1 : 0); }
    QJsonArray snapshot(const QString &id) const;

    WsConnection *m_connection;
    WsStatusHub *m_hub;
    int m_max;
    bool m_all = false;  // subscribed to "*"
    QStringList m_ids;   // job ids, sorted
};

} // namespace pw::server
