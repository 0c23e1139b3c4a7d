// kubesim scenarios: pull Jobs reaching the states, events and logs of a real cluster, by
// image keyword and by scenario file; deadlines, retries, TTL, many Jobs through cut watches
// (the demo workloads: tst_kubesim_demo).
#include "kubesimscenariofixture.h"

#include <QSet>
#include <QtTest>

using namespace pw::kubesim;

using namespace KubeSimTest;

class TestKubeSimScenarios : public KubeSimScenarioFixture {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { stopSim(); }

    void success() {
        startSim();
        const QString name = startJob(pullJob(QStringLiteral("nginx:1.27")));
        QTRY_COMPARE(condition(name), QStringLiteral("Complete/CompletionsReached"));
        const QJsonObject j = job(name);
        QCOMPARE(at(j, QStringLiteral("status.succeeded")).toInt(), 1);
        QCOMPARE(at(j, QStringLiteral("status.active")).toInt(), 0);
        QVERIFY(!at(j, QStringLiteral("status.startTime")).toString().isEmpty());
        QVERIFY(!at(j, QStringLiteral("status.completionTime")).toString().isEmpty());
        const QJsonObject pod = pods(name).first().toObject();
        QCOMPARE(at(pod, QStringLiteral("status.phase")).toString(), QStringLiteral("Succeeded"));
        const QJsonObject push = containerStatus(pod, QStringLiteral("push-to-harbor"));
        QCOMPARE(at(push, QStringLiteral("state.terminated.exitCode")).toInt(), 0);
        QCOMPARE(at(push, QStringLiteral("state.terminated.reason")).toString(),
                 QStringLiteral("Completed"));
        QCOMPARE(at(containerStatus(pod, QStringLiteral("pull-source")),
                    QStringLiteral("state.terminated.reason"))
                     .toString(),
                 QStringLiteral("Completed"));
    }

    void podPassesThroughPhases() {
        startSim();
        Stream watch(m_http.manager(),
                     url(QStringLiteral("/api/v1/namespaces/default/pods?watch=1")));
        QTRY_COMPARE(m_sim->openWatches(), 1);
        const QString name = startJob(pullJob(QStringLiteral("nginx:1.27")));
        QTRY_COMPARE(condition(name), QStringLiteral("Complete/CompletionsReached"));
        QTRY_VERIFY(watch.data.contains("\"phase\":\"Succeeded\""));
        QStringList seen;
        for (const QJsonObject &e : watch.events()) {
            const QJsonObject pod = e.value(QStringLiteral("object")).toObject();
            const QJsonObject main = containerStatus(pod, QStringLiteral("push-to-harbor"));
            const QString state = main.value(QStringLiteral("state")).toObject().keys().value(0);
            const QString reason =
                at(main, QStringLiteral("state.") + state + QStringLiteral(".reason")).toString();
            const QString step =
                at(pod, QStringLiteral("status.phase")).toString() + u':' + state + u':' + reason;
            if (seen.isEmpty() || seen.last() != step)
                seen << step;
        }
        QVERIFY2(seen.contains(QStringLiteral("Pending:waiting:PodInitializing")),
                 qPrintable(seen.join(u' ')));
        QVERIFY2(seen.contains(QStringLiteral("Running:running:")), qPrintable(seen.join(u' ')));
        QCOMPARE(seen.last(), QStringLiteral("Succeeded:terminated:Completed"));
        QVERIFY(seen.indexOf(QStringLiteral("Pending:waiting:PodInitializing")) <
                seen.indexOf(QStringLiteral("Running:running:")));
    }

    void notFoundBacksOffUntilTheDeadline() {
        startSim();
        const QString name =
            startJob(pullJob(QStringLiteral("docker.io/acme/notfound-image:9"), {}, 1, 40));
        QTRY_VERIFY(!pods(name).isEmpty());
        const QString podName =
            at(pods(name).first().toObject(), QStringLiteral("metadata.name")).toString();
        QTRY_COMPARE(
            at(containerStatus(pods(name).first().toObject(), QStringLiteral("pull-source")),
               QStringLiteral("state.waiting.reason"))
                .toString(),
            QStringLiteral("ErrImagePull"));
        const QString message =
            at(containerStatus(pods(name).first().toObject(), QStringLiteral("pull-source")),
               QStringLiteral("state.waiting.message"))
                .toString();
        QVERIFY2(message.contains(QStringLiteral("docker.io/acme/notfound-image:9: not found")),
                 qPrintable(message));
        QTRY_COMPARE(
            at(containerStatus(pods(name).first().toObject(), QStringLiteral("pull-source")),
               QStringLiteral("state.waiting.reason"))
                .toString(),
            QStringLiteral("ImagePullBackOff"));
        QCOMPARE(
            at(containerStatus(pods(name).first().toObject(), QStringLiteral("push-to-harbor")),
               QStringLiteral("state.waiting.reason"))
                .toString(),
            QStringLiteral("PodInitializing"));
        const QByteArray events = eventsOf(podName);
        QVERIFY(events.contains("Failed to pull image \\\"docker.io/acme/notfound-image:9\\\""));
        QVERIFY(events.contains("Error: ErrImagePull"));
        QVERIFY(events.contains("\"reason\":\"BackOff\""));
        QVERIFY(events.contains("Error: ImagePullBackOff"));
        QVERIFY(condition(name).isEmpty());
        // activeDeadlineSeconds 40 × 0.05 = 2 s.
        QTRY_COMPARE_WITH_TIMEOUT(condition(name), QStringLiteral("Failed/DeadlineExceeded"),
                                  10000);
        QCOMPARE(pods(name).size(), 0);
        QVERIFY(eventsOf(name).contains("DeadlineExceeded"));
    }

    void unschedulable() {
        startSim();
        const QString name =
            startJob(pullJob(QStringLiteral("example.com/unschedulable-big:1"), {}, 1, 40));
        QTRY_VERIFY(!pods(name).isEmpty());
        const QString pod =
            at(pods(name).first().toObject(), QStringLiteral("metadata.name")).toString();
        QTRY_VERIFY(eventsOf(pod).contains("FailedScheduling"));
        const QJsonObject p = pods(name).first().toObject();
        QCOMPARE(at(p, QStringLiteral("status.phase")).toString(), QStringLiteral("Pending"));
        const QJsonObject c =
            at(p, QStringLiteral("status.conditions")).toArray().first().toObject();
        QCOMPARE(c.value(QStringLiteral("type")).toString(), QStringLiteral("PodScheduled"));
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("False"));
        QCOMPARE(c.value(QStringLiteral("reason")).toString(), QStringLiteral("Unschedulable"));
        QVERIFY(eventsOf(pod).contains("\"component\":\"default-scheduler\""));
        const HttpResult log =
            get(QStringLiteral("/api/v1/namespaces/default/pods/%1/log").arg(pod));
        QCOMPARE(log.status, 400);
        QCOMPARE(json(log.body).value(QStringLiteral("message")).toString(),
                 QStringLiteral("pod %1 does not have a host assigned").arg(pod));
        QTRY_COMPARE_WITH_TIMEOUT(condition(name), QStringLiteral("Failed/DeadlineExceeded"),
                                  10000);
    }

    void unauthorizedPull() {
        startSim();
        const QString name =
            startJob(pullJob(QStringLiteral("private.example.com/unauthorized/app:1")));
        QTRY_VERIFY(!pods(name).isEmpty());
        QTRY_COMPARE(
            at(containerStatus(pods(name).first().toObject(), QStringLiteral("pull-source")),
               QStringLiteral("state.waiting.reason"))
                .toString(),
            QStringLiteral("ErrImagePull"));
        const QString message =
            at(containerStatus(pods(name).first().toObject(), QStringLiteral("pull-source")),
               QStringLiteral("state.waiting.message"))
                .toString();
        QVERIFY2(message.contains(QStringLiteral("pull access denied")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("unauthorized: authentication required")),
                 qPrintable(message));
    }

    void pushFailRetriesThenBackoffLimitExceeded() {
        startSim();
        const QString name = startJob(pullJob(QStringLiteral("nginx-pushfail:1"), {}, 1));
        QTRY_COMPARE_WITH_TIMEOUT(condition(name), QStringLiteral("Failed/BackoffLimitExceeded"),
                                  10000);
        const QJsonObject j = job(name);
        QCOMPARE(at(j, QStringLiteral("status.failed")).toInt(), 2);
        QCOMPARE(at(j, QStringLiteral("status.active")).toInt(), 0);
        const QJsonArray all = pods(name);
        QCOMPARE(all.size(), 2);
        for (const QJsonValue &v : all) {
            const QJsonObject pod = v.toObject();
            QCOMPARE(at(pod, QStringLiteral("status.phase")).toString(), QStringLiteral("Failed"));
            const QJsonObject push = containerStatus(pod, QStringLiteral("push-to-harbor"));
            QCOMPARE(at(push, QStringLiteral("state.terminated.exitCode")).toInt(), 1);
            QCOMPARE(at(push, QStringLiteral("state.terminated.reason")).toString(),
                     QStringLiteral("Error"));
            const QByteArray log =
                get(QStringLiteral("/api/v1/namespaces/default/pods/%1/log")
                        .arg(at(pod, QStringLiteral("metadata.name")).toString()))
                    .body;
            QVERIFY2(log.contains("Error: PUT https://harbor.example.com/v2/"), log.constData());
        }
        QVERIFY(eventsOf(name).contains("Job has reached the specified backoff limit"));
    }

    void onFailureRestartsInPlaceWithPreviousLogs() {
        startSim();
        const QString name = startJob(
            pullJob(QStringLiteral("nginx-pushfail:1"), {}, 2, 600, QStringLiteral("OnFailure")));
        QTRY_VERIFY(!pods(name).isEmpty());
        QTRY_VERIFY(containerStatus(pods(name).first().toObject(), QStringLiteral("push-to-harbor"))
                        .value(QStringLiteral("restartCount"))
                        .toInt() >= 1);
        const QJsonObject pod = pods(name).first().toObject();
        const QJsonObject push = containerStatus(pod, QStringLiteral("push-to-harbor"));
        QCOMPARE(at(push, QStringLiteral("lastState.terminated.exitCode")).toInt(), 1);
        const HttpResult previous =
            get(QStringLiteral(
                    "/api/v1/namespaces/default/pods/%1/log?container=push-to-harbor&previous=true")
                    .arg(at(pod, QStringLiteral("metadata.name")).toString()));
        QCOMPARE(previous.status, 200);
        QVERIFY(previous.body.contains("Error: PUT"));
        QTRY_COMPARE_WITH_TIMEOUT(condition(name), QStringLiteral("Failed/BackoffLimitExceeded"),
                                  10000);
        QCOMPARE(pods(name).size(), 0);
    }

    void slowIsStillRunningWhenOthersFinish() {
        startSim();
        const QString slow = startJob(pullJob(QStringLiteral("example.com/slow-image:1")));
        const QString fast = startJob(pullJob(QStringLiteral("nginx:1.27")));
        QTRY_COMPARE(condition(fast), QStringLiteral("Complete/CompletionsReached"));
        QVERIFY(condition(slow).isEmpty());
        QCOMPARE(at(job(slow), QStringLiteral("status.active")).toInt(), 1);
    }

    void scenarioFileRulesAndFaults() {
        startSim(R"({
            "timeScale": 0.02,
            "defaults": {"pushMs": 500},
            "rules": [{"keyword": "flaky", "outcome": "pushfail", "exitCode": 3}],
            "faults": {"watchCutSeconds": 0.2, "failNextWatches": 1, "logDropEveryLines": 7}
        })");
        QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods?watch=1")).status, 410);
        Stream cut(m_http.manager(),
                   url(QStringLiteral("/api/v1/namespaces/default/pods?watch=1")));
        QTRY_VERIFY(cut.finished);
        const QString name = startJob(pullJob(QStringLiteral("ghcr.io/x/flaky-thing:2"), {}, 0));
        QTRY_COMPARE(condition(name), QStringLiteral("Failed/BackoffLimitExceeded"));
        const QJsonObject pod = pods(name).first().toObject();
        QCOMPARE(at(containerStatus(pod, QStringLiteral("push-to-harbor")),
                    QStringLiteral("state.terminated.exitCode"))
                     .toInt(),
                 3);
    }

    void badScenarioFileIsAnError() {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(R"({"rules":[{"keyword":"x","outcome":"explode"}]})");
        file.flush();
        KubeSimConfig config;
        config.scenarioFile = file.fileName();
        KubeSim sim(config);
        QString error;
        QVERIFY(!sim.start(&error));
        QVERIFY2(error.contains(QStringLiteral("unknown outcome \"explode\"")), qPrintable(error));
        config.scenarioFile = QStringLiteral("/nonexistent/scenario.json");
        KubeSim missing(config);
        QVERIFY(!missing.start(&error));
        QVERIFY(error.contains(QStringLiteral("/nonexistent/scenario.json")));
    }

    void ttlDeletesFinishedJobs() {
        startSim();
        QJsonObject body =
            json(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("short-lived")));
        QJsonObject spec = body.value(QStringLiteral("spec")).toObject();
        spec.insert(QStringLiteral("ttlSecondsAfterFinished"), 10); // 0.5 s scaled
        body.insert(QStringLiteral("spec"), spec);
        startJob(QJsonDocument(body).toJson());
        QTRY_COMPARE(condition(QStringLiteral("short-lived")),
                     QStringLiteral("Complete/CompletionsReached"));
        QTRY_COMPARE(
            get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/short-lived")).status, 404);
        QCOMPARE(pods(QStringLiteral("short-lived")).size(), 0);
    }

    void deletedPodIsReplaced() {
        startSim();
        const QString name = startJob(pullJob(QStringLiteral("example.com/slow-image:1")));
        QTRY_VERIFY(!pods(name).isEmpty());
        const QString first =
            at(pods(name).first().toObject(), QStringLiteral("metadata.name")).toString();
        QCOMPARE(
            m_http.send("DELETE", url(QStringLiteral("/api/v1/namespaces/default/pods/") + first))
                .status,
            200);
        QTRY_VERIFY(!pods(name).isEmpty() &&
                    at(pods(name).first().toObject(), QStringLiteral("metadata.name")).toString() !=
                        first);
    }

    void manyJobsThroughCutWatches() {
        // What a client's informer sees: 300 jobs, every watch cut after 300 ms, two 410s;
        // resuming from the last version seen (re-listing after 410) misses no final state.
        startSim();
        m_sim->setWatchCutInterval(300);
        m_sim->failNextWatches(2);
        QSet<QString> created, complete;
        quint64 version = 0;
        std::unique_ptr<Stream> watch;
        int consumed = 0, relists = 0;
        auto relist = [&] {
            const QJsonObject list =
                json(get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")).body);
            version = at(list, QStringLiteral("metadata.resourceVersion")).toString().toULongLong();
            for (const QJsonValue &v : list.value(QStringLiteral("items")).toArray())
                if (!at(v.toObject(), QStringLiteral("status.completionTime")).toString().isEmpty())
                    complete.insert(at(v.toObject(), QStringLiteral("metadata.name")).toString());
            ++relists;
        };
        auto pump = [&] {
            if (watch) {
                const QList<QJsonObject> events = watch->events();
                for (int i = consumed; i < events.size(); ++i) {
                    const QJsonObject &e = events[i];
                    if (e.value(QStringLiteral("type")).toString() == QStringLiteral("ERROR")) {
                        relist();
                        continue;
                    }
                    version = qMax(version, at(e, QStringLiteral("object.metadata.resourceVersion"))
                                                .toString()
                                                .toULongLong());
                    if (!at(e, QStringLiteral("object.status.completionTime")).toString().isEmpty())
                        complete.insert(at(e, QStringLiteral("object.metadata.name")).toString());
                }
                consumed = int(events.size());
                if (!watch->finished)
                    return;
                if (watch->status == 410)
                    relist();
            }
            consumed = 0;
            watch = std::make_unique<Stream>(
                m_http.manager(),
                url(QStringLiteral("/apis/batch/v1/namespaces/default/"
                                   "jobs?watch=1&allowWatchBookmarks=true&resourceVersion=%1")
                        .arg(version)));
        };
        relist();
        for (int i = 0; i < 300; ++i) {
            created.insert(startJob(pullJob(QStringLiteral("nginx:1.27"))));
            pump();
        }
        QCOMPARE(created.size(), 300);
        QTRY_VERIFY_WITH_TIMEOUT((pump(), complete.size() == 300), 30000);
        QCOMPARE(complete, created);
        QVERIFY(relists >= 2);
        QVERIFY(m_sim->watchesOpened() >= 3);
    }
};

QTEST_GUILESS_MAIN(TestKubeSimScenarios)
#include "tst_kubesim_scenarios.moc"
