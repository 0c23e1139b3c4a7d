#pragma once

#include "wsstatushub.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>

class WsConnection;

// /ws/image-pull-all: the client subscribes and unsubscribes by job id or "*"
// ({"action":"subscribe","job_id":…}); each subscription is acknowledged with a snapshot
// ({"type":"subscribed","job_id":…,"snapshot":[status…]}); then status messages. Bad
// messages get an error naming the problem (WsConnection closes with 1008 after repeated
// abuse); at most maxSubscriptions per connection.
class WsPullSubscriptions : public QObject, public WsStatusSubscriber
{
    Q_OBJECT
public:
    WsPullSubscriptions(WsConnection *connection, WsStatusHub *hub, int maxSubscriptions,
                        QObject *parent = nullptr);
    ~WsPullSubscriptions() override;

    void deliver(const PullJob &job, const QString &message) override;

private:
    void onMessage(const QString &message);
    void subscribe(const QString &id);
    void unsubscribe(const QString &id);
    QJsonArray snapshot(const QString &id) const;

    WsConnection *m_connection;
    WsStatusHub *m_hub;
    int m_max;
    QSet<QString> m_ids;
};
