#pragma once

#include "logconfig.h"
#include "logquery.h"

#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace pw::kube { class KubePod; }

namespace pw::logs {

class NamespacePods;
class PodCatalog;

// What one single-container /ws/pod-logs session follows, container after container
// (docs/architecture.md §4): pod= and its container, or job=: waits for the job's pod, follows
// its init containers then its main containers, then the job's next pod if it retries, until
// the job has finished. It reads the pod catalogue and the cluster only; the session streams
// each container it is told about (containerStarted) and says when its log was delivered
// (containerDone).
class JobLogFollower : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,                // not started
        Listing,             // waiting for the namespace's first pod list
        WaitingForPod,       // job=: no pod of the job to follow yet
        WaitingForContainer, // the container has not started yet
        Following,           // the session streams container()
        CheckingJob,         // job=: asking whether the job has finished
        Ended,               // finished() or failed() was emitted
    };

    JobLogFollower(PodCatalog *catalog, const LogQuery &query, const LogConfig &config,
                   QObject *parent = nullptr);
    ~JobLogFollower() override;

    void start();
    State state() const { return m_state; }
    QString podName() const { return m_podName; }
    // The container followed or awaited; empty while no pod is, and after the last one.
    QString container() const;
    // The session has delivered the whole log of container(): `detail` says how it ended;
    // `podGone` when the pod was deleted (its other containers are not waited for).
    void containerDone(const QString &detail, bool podGone);

Q_SIGNALS:
    // Nothing to stream yet, and why.
    void waiting(const QString &detail);
    void containerStarted(const QString &pod, const QString &container);
    // Nothing more will come; `detail` says why.
    void finished(const QString &detail);
    // The query names nothing that can be followed.
    void failed(const QString &error);

private:
    void onListed();
    void lookForJobPod();
    void waitForJobPod(const QString &detail);
    void followPod(const kube::KubePod &pod, const QStringList &containers);
    void tryContainer();
    void onPodChanged(const kube::KubePod &pod);
    void onPodDeleted(const kube::KubePod &pod);
    void nextContainer();
    void podDone();
    void checkJob();
    // Ends the follower once: false when it had ended already.
    bool settle();
    void end(const QString &detail);
    void fail(const QString &error);

    PodCatalog *m_catalog;
    LogQuery m_query;
    LogConfig m_config;
    NamespacePods *m_pods = nullptr;
    State m_state = State::Idle;
    QString m_podName;
    QStringList m_containers;
    int m_index = 0;
    QString m_endDetail; // how the last container (or pod) ended
    QSet<QString> m_followedPods;
    QTimer m_waitTimer;
};

} // namespace pw::logs
