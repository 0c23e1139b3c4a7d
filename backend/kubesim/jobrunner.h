#pragma once

#include "podmodel.h"
#include "scenario.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace pw::kubesim {

class ContainerLog;
struct SimContext;

// Runs one Job like the job controller, scheduler and kubelet together: creates its pod,
// schedules it, pulls and runs the init containers then the main containers, writes events
// and logs, retries failed pods up to backoffLimit, honours activeDeadlineSeconds, and marks
// the Job Complete or Failed. The outcome comes from the scenario rule of the source image.
class JobRunner : public QObject {
    Q_OBJECT
public:
    JobRunner(SimContext *context, const QJsonObject &job, QObject *parent);

    void start();
    // The Job is being deleted: stop; delete its pods too unless they are orphaned.
    void stop(bool deletePods);
    QStringList podNames() const { return m_podNames; }
    QString sourceImage() const { return m_sourceImage; }

Q_SIGNALS:
    // ttlSecondsAfterFinished passed: the controller deletes the Job and its pods.
    void ttlExpired();

private:
    void after(int simulatedMs, std::function<void()> step);
    void createPod();
    void schedulePod();
    void failScheduling();
    void runContainer(int index);
    void pullFailed(int index, int round);
    void startContainer(int index);
    void runScript(int index);
    void exitMainContainers(int exitCode, const QString &reason);
    void podFinished(bool succeeded);
    void finishJob(bool complete, const QString &reason, const QString &message);
    void onDeadline();
    bool updatePod();
    void updateJob();
    void event(const QString &type, const QString &reason, const QString &message,
               const QString &fieldPath = {});
    void jobEvent(const QString &type, const QString &reason, const QString &message);
    QString fieldPath(const ContainerModel &c) const;
    ContainerLog *newLog(const ContainerModel &c);
    void deletePod(const QString &name);

    SimContext *m_ctx;
    QJsonObject m_job;
    QString m_ns;
    OutcomeRule m_rule;
    QString m_sourceImage;
    int m_sourceIndex = 0; // container (init first) whose pull fails for notfound/unauthorized
    PodModel m_pod;
    bool m_hasPod = false;
    QStringList m_podNames;
    int m_generation = 0; // bumps when the pod changes or the runner stops: stale steps drop
    int m_failed = 0;
    int m_backoffLimit = 6;
    bool m_done = false;
    bool m_stopped = false;
    quint64 m_deadline = 0; // SimTimers id of activeDeadlineSeconds; 0: none
    QPointer<ContainerLog> m_mainLog;
};

} // namespace pw::kubesim
