#pragma once

#include "wsstatushub.h"

#include <QObject>

namespace pw::server {

class WsConnection;

// /ws/image-pull/{job_id}: the current status at once, then every change, then close 1000
// after the terminal status; an unknown job gets an error and close 1008 (docs/architecture.md §4),
// a v1 client only the close (its reason says "job not found").
class WsPullWatch : public QObject, public WsStatusSubscriber
{
    Q_OBJECT
public:
    WsPullWatch(WsConnection *connection, WsStatusHub *hub, QString jobId,
                QObject *parent = nullptr);
    ~WsPullWatch() override;

    void start();
    void deliver(const core::PullJob &job, const QString &message) override;

private:
    WsConnection *m_connection;
    WsStatusHub *m_hub;
    QString m_jobId;
    bool m_subscribed = false;
};

} // namespace pw::server
