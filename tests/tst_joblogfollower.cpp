#include "wsfixture.h"

#include "logs/joblogfollower.h"
#include "logs/logquery.h"
#include "logs/podcatalog.h"

#include <QTest>

using namespace pw::core;
using namespace pw::logs;

using namespace WsTest;

// JobLogFollower (backend/logs): what a single-container log session follows, against a
// real simulated cluster — a Job's containers in order, init containers first, one state at a
// time; the Job's end; the documented failures.
class TestJobLogFollower : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void followsTheJobsContainersInOrder();
    void unknownPodFails();
    void jobWithoutPodsEndsAfterTheWait();

private:
    LogQuery query(const QList<QPair<QString, QString>> &items) const;
    std::unique_ptr<Fixture> m_f;
};

void TestJobLogFollower::init()
{
    m_f = std::make_unique<Fixture>();
    QVERIFY(m_f->start());
}

void TestJobLogFollower::cleanup()
{
    m_f.reset();
}

LogQuery TestJobLogFollower::query(const QList<QPair<QString, QString>> &items) const
{
    const Result<LogQuery> q = LogQuery::parse(items, m_f->kube->defaultNamespace());
    if (!q.ok())
        qFatal("bad query: %s", qPrintable(q.error()));
    return q.value();
}

void TestJobLogFollower::followsTheJobsContainersInOrder()
{
    const QString id = m_f->startPull(QStringLiteral("nginx:1.25"));
    QVERIFY(!id.isEmpty());
    LogConfig config;
    PodCatalog catalog(m_f->kube, config);
    JobLogFollower follower(&catalog, query({{"job", id}}), config);
    QStringList waits;
    QStringList started;
    QString finished;
    connect(&follower, &JobLogFollower::waiting, this,
            [&](const QString &detail) { waits << detail; });
    connect(&follower, &JobLogFollower::containerStarted, this,
            [&](const QString &pod, const QString &container) {
                QCOMPARE(follower.state(), JobLogFollower::State::Following);
                QCOMPARE(follower.podName(), pod);
                QCOMPARE(follower.container(), container);
                started << container;
            });
    connect(&follower, &JobLogFollower::finished, this,
            [&](const QString &detail) { finished = detail; });
    connect(&follower, &JobLogFollower::failed, this,
            [](const QString &error) { QFAIL(qPrintable(error)); });
    QCOMPARE(follower.state(), JobLogFollower::State::Idle);
    follower.start();
    QCOMPARE(follower.state(), JobLogFollower::State::WaitingForPod);
    QCOMPARE(waits.value(0), QStringLiteral("waiting for a pod of job %1").arg(id));

    // The session says when it has delivered each container's log; the last one once the
    // Job is complete, so the follower finds it finished.
    const QStringList expected{"tools", "pull-source", "push-to-harbor"};
    for (const QString &container : expected) {
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), expected.indexOf(container) + 1, 30000);
        QCOMPARE(started.last(), container);
        if (container == expected.last())
            QTRY_VERIFY_WITH_TIMEOUT(m_f->pulls->tracker()->find(id)
                                         && m_f->pulls->tracker()->find(id)->status
                                             == PullStatus::Completed,
                                     30000);
        follower.containerDone(QStringLiteral("%1 ended").arg(container), false);
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished,
                              QStringLiteral("job %1 finished (Complete); push-to-harbor ended")
                                  .arg(id),
                              10000);
    QCOMPARE(follower.state(), JobLogFollower::State::Ended);
    QCOMPARE(started, expected);
    // Told once it has ended, nothing more happens.
    follower.containerDone(QStringLiteral("late"), false);
    QCOMPARE(started, expected);
}

void TestJobLogFollower::unknownPodFails()
{
    LogConfig config;
    PodCatalog catalog(m_f->kube, config);
    JobLogFollower follower(&catalog, query({{"pod", "nope"}}), config);
    QString error;
    connect(&follower, &JobLogFollower::failed, this, [&](const QString &e) { error = e; });
    follower.start();
    QTRY_COMPARE_WITH_TIMEOUT(error,
                              QStringLiteral("pod nope not found in namespace %1")
                                  .arg(m_f->kube->defaultNamespace()),
                              10000);
    QCOMPARE(follower.state(), JobLogFollower::State::Ended);
}

void TestJobLogFollower::jobWithoutPodsEndsAfterTheWait()
{
    LogConfig config;
    config.jobWaitMs = 300;
    PodCatalog catalog(m_f->kube, config);
    JobLogFollower follower(&catalog, query({{"job", "nojob"}}), config);
    QStringList waits;
    QString finished;
    connect(&follower, &JobLogFollower::waiting, this, [&](const QString &d) { waits << d; });
    connect(&follower, &JobLogFollower::finished, this, [&](const QString &d) { finished = d; });
    follower.start();
    QCOMPARE(waits, QStringList{"waiting for a pod of job nojob"});
    QVERIFY(follower.container().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(finished, QStringLiteral("no pod of job nojob appeared within 0.3 s"),
                              10000);
    QCOMPARE(follower.state(), JobLogFollower::State::Ended);
}

QTEST_GUILESS_MAIN(TestJobLogFollower)
#include "tst_joblogfollower.moc"
