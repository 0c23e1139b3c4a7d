#pragma once

#include "podmodel.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class ContainerLog;
struct SimContext;

// Long-running ordinary pods with steady, realistic log output (a web server's access log,
// a worker's progress, a sidecar's heartbeats), so a log viewer has something to show.
class DemoWorkloads : public QObject {
    Q_OBJECT
public:
    DemoWorkloads(SimContext *context, const QString &ns, QObject *parent);
    void start();

private:
    struct Container {
        QString pod;
        QString name;
        QPointer<ContainerLog> log;
        int intervalMs;
        qint64 counter = 0;
        QByteArray (*line)(qint64 counter);
    };
    void addPod(const QString &name, const QList<QPair<QString, QString>> &containers);
    void tick();

    SimContext *m_ctx;
    QString m_ns;
    QList<Container> m_containers;
    QTimer m_timer;
    qint64 m_elapsedMs = 0;
};
