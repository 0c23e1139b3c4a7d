#pragma once

#include "pullerror.h"
#include "pullplanner.h"
#include "pullsettings.h"
#include "pulltracker.h"

#include "core/imagereference.h"
#include "kube/kubepod.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>
#include <optional>

class QTimer;
namespace pw::core { class Clock; }
namespace pw::core { class PullHistory; }
namespace pw::kube { class KubeClient; }
namespace pw::kube { class KubeInformer; }

namespace pw::pulls {

// Runs pull Jobs and keeps their state: creates Jobs (docs/architecture.md §2), follows Jobs and their
// pods by list + watch (no polling), maps them to stages, fails pulls stuck pulling after a
// grace, explains failures (reason, events, log tails), keeps finished pulls in the history
// store, and finds its Jobs again after a restart.
class PullService : public QObject
{
    Q_OBJECT
public:
    using Started = std::function<void(const QStringList &ids, const std::optional<PullError> &)>;
    using Retried = std::function<void(const QString &id, const std::optional<PullError> &)>;
    using Cancelled = std::function<void(const std::optional<core::PullJob> &,
                                         const std::optional<PullError> &)>;

    PullService(kube::KubeClient *client, PullSettings settings, core::PullHistory *history,
                core::Clock *clock,
                QObject *parent = nullptr);
    ~PullService() override;

    // Loads the history, then lists and watches the cluster.
    void start();
    void stop();
    // The cluster has been listed at least once.
    bool isReady() const { return m_ready; }
    PullTracker *tracker() { return &m_tracker; }
    const PullSettings &settings() const { return m_settings; }

    // Every reference is validated before any Job is created; a reference with an active
    // pull gets that pull's id instead of a second Job.
    void startPulls(const QStringList &references, Started done);
    void retry(const QString &id, Retried done);
    void cancel(const QString &id, Cancelled done);

    // Checks the names of a request against the settings and the pulls known now.
    PullPlanner planner() const { return PullPlanner(m_settings, m_tracker); }

Q_SIGNALS:
    void ready();
    // A pull reached its final state and is recorded with its details (a failure with its
    // reason, events and log tails): what completion callbacks send.
    void pullRecorded(const core::PullJob &job);

private:
    void startInformers();
    void onJob(const QJsonObject &job);
    void onJobDeleted(const QJsonObject &job);
    void onPod(const QJsonObject &pod);
    void onPodDeleted(const QJsonObject &pod);
    void update(const QString &jobName);
    void confirmFailure(const QString &jobName, const QString &ns);
    void applyObservation(const QString &jobName, const PullObservation &o);
    void watchGrace(const QString &jobName, bool stuck);
    void onGraceExpired(const QString &jobName);
    void failStuckPull(const QString &jobName, const QString &why);
    void fail(const core::PullJob &job, core::FailureReason reason, const QString &message,
              bool deleteJob);
    void onFinished(const core::PullJob &job);
    core::PullJob baseFor(const QJsonObject &job) const;
    using Created = std::function<void(const QString &id, const std::optional<PullError> &)>;
    void createJob(const core::ImageReference &source, const QString &target,
                   const QString &retryOf,
                   Created done);
    void createNamedJob(const core::ImageReference &source, const QString &target,
                        const QString &retryOf,
                        const QString &stem, int number, int attemptsLeft, Created done);

    kube::KubeClient *m_client;
    PullSettings m_settings;
    core::PullHistory *m_history;
    core::Clock *m_clock;
    PullTracker m_tracker;
    kube::KubeInformer *m_jobInformer = nullptr;
    kube::KubeInformer *m_podInformer = nullptr;
    QHash<QString, QJsonObject> m_jobs;        // job name → object
    QHash<QString, kube::KubePod> m_podsByJob;       // job name → its newest pod
    QHash<QString, QTimer *> m_graceTimers;    // job name → timer while stuck
    QHash<QString, QString> m_pullErrors;      // job name → last ErrImagePull message
    QSet<QString> m_cancelling;
    QSet<QString> m_confirming; // failed jobs whose pods are being read before the verdict
    bool m_ready = false;
    bool m_jobsSynced = false;
    bool m_podsSynced = false;
};

} // namespace pw::pulls
