#pragma once

#include "wsclient.h"
#include "wslogsfixture.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

// What a v1 client asks for: nothing.
extern const QStringList kAskNothing;

// Why `m` is not a message of the original's pull sockets ({job_id, image, status, progress,
// message, timestamp}; more fields are allowed); empty when it is one.
QString pullShapeError(const QJsonObject &m);
// Why `m` is not a message of the original's log socket ({"type":"log","data":…} or
// {"type":"error","error":…}); empty when it is one.
QString logShapeError(const QJsonObject &m);
// What `check` finds wrong in each of `messages`.
QStringList shapeErrors(const QList<QJsonObject> &messages, QString (*check)(const QJsonObject &));
// The value of an unlabelled metric in Prometheus text; -1 when it is not there.
qint64 metricValue(const QByteArray &text, const QByteArray &name);
// A subscription message of /ws/image-pull-all.
QJsonObject subscribe(const QString &action, const QString &id);

// What the suites of the original service's clients share: the real server on an in-process
// kubesim with chatty pods, v1 clients and the checks of the original's message shapes.
class WsV1Fixture : public WsLogsFixture {
protected:
    WsV1Fixture();

    // Starts the server and opens a v1 client of /ws/image-pull-all; null when either failed.
    std::unique_ptr<WsTest::Client> startAndOpenAll();
    // GET /metrics.
    QByteArray metrics() const;
};
