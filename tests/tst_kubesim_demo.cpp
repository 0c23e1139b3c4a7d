// kubesim's demo namespace: the workloads `--demo` shows (a web server, a two-container batch
// worker, a JSON-logging importer that crashes and restarts with previous logs) and the
// log-bench pods, over real HTTP.
#include "kubesimscenariofixture.h"

#include <QtTest>

using namespace pw::kubesim;

using namespace KubeSimTest;

class TestKubeSimDemo : public KubeSimScenarioFixture {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { stopSim(); }

    void demoWorkloads() {
        KubeSimConfig config;
        config.demoWorkloads = true;
        m_sim = std::make_unique<KubeSim>(config);
        QString error;
        QVERIFY(m_sim->start(&error));
        const QJsonArray items = json(get(QStringLiteral("/api/v1/namespaces/demo/pods")).body)
                                     .value(QStringLiteral("items"))
                                     .toArray();
        QVERIFY(items.size() >= 2);
        for (const QJsonValue &v : items)
            QCOMPARE(at(v.toObject(), QStringLiteral("status.phase")).toString(),
                     QStringLiteral("Running"));
        QString web;
        for (const QJsonValue &v : items)
            if (at(v.toObject(), QStringLiteral("metadata.name"))
                    .toString()
                    .startsWith(QStringLiteral("web-frontend-")))
                web = at(v.toObject(), QStringLiteral("metadata.name")).toString();
        QVERIFY(!web.isEmpty());
        Stream follow(
            m_http.manager(),
            url(QStringLiteral("/api/v1/namespaces/demo/pods/%1/log?follow=true").arg(web)));
        QTRY_VERIFY(follow.lines().size() >= 2);
        QVERIFY(follow.lines().first().contains("HTTP/1.1\""));
        QVERIFY(get(QStringLiteral("/api/v1/namespaces")).body.contains("\"name\":\"demo\""));
    }

    // The demo's flaky-importer crashes (exit 1) and is restarted in place: its restartCount
    // and lastState grow, and previous=true reads the crashed run's log.
    void demoPodRestarts() {
        KubeSimConfig config;
        config.demoWorkloads = true;
        m_sim = std::make_unique<KubeSim>(config);
        QString error;
        QVERIFY(m_sim->start(&error));
        QJsonObject pod;
        const auto flaky = [&] {
            const QJsonArray items = json(get(QStringLiteral("/api/v1/namespaces/demo/pods"
                                                             "?labelSelector=app%3Dflaky-importer"))
                                              .body)
                                         .value(QStringLiteral("items"))
                                         .toArray();
            pod = items.isEmpty() ? QJsonObject() : items.first().toObject();
            return items.size() == 1;
        };
        QVERIFY(flaky());
        const QString name = at(pod, QStringLiteral("metadata.name")).toString();
        QVERIFY2(name.startsWith(QStringLiteral("flaky-importer-")), qPrintable(name));
        QTRY_VERIFY_WITH_TIMEOUT(flaky() && at(pod, QStringLiteral("status.containerStatuses"))
                                                     .toArray()
                                                     .at(0)[QStringLiteral("restartCount")]
                                                     .toInt()
                                                 >= 1,
                                 20000);
        const QJsonObject status =
            at(pod, QStringLiteral("status.containerStatuses")).toArray().at(0).toObject();
        QCOMPARE(at(status, QStringLiteral("lastState.terminated.exitCode")).toInt(), 1);
        const HttpResult previous = get(
            QStringLiteral("/api/v1/namespaces/demo/pods/%1/log?container=importer&previous=true")
                .arg(name));
        QCOMPARE(previous.status, 200);
        QVERIFY2(previous.body.trimmed().endsWith("exiting with code 1"), previous.body.constData());
        QVERIFY(previous.body.contains("\"level\":\"info\""));
    }

    // --log-bench: pods that only log, for merged-stream benchmarks: PODS pods labelled
    // app=log-bench, each with CONTAINERS running containers whose numbered lines grow at RATE.
    void logBenchPods() {
        KubeSimConfig config;
        config.logBenchPods = 3;
        config.logBenchContainers = 2;
        config.logBenchRate = 200;
        m_sim = std::make_unique<KubeSim>(config);
        QString error;
        QVERIFY(m_sim->start(&error));
        const QJsonArray items =
            json(get(QStringLiteral("/api/v1/namespaces/demo/pods?labelSelector=app%3Dlog-bench"))
                     .body)
                .value(QStringLiteral("items"))
                .toArray();
        QCOMPARE(items.size(), 3);
        QCOMPARE(json(get(QStringLiteral("/api/v1/namespaces/demo/pods")).body)
                     .value(QStringLiteral("items"))
                     .toArray()
                     .size(),
                 3); // no demo workloads unless asked for
        for (const QJsonValue &v : items) {
            const QString name = at(v.toObject(), QStringLiteral("metadata.name")).toString();
            QVERIFY2(name.startsWith(QStringLiteral("log-bench-")), qPrintable(name));
            const QJsonArray statuses =
                at(v.toObject(), QStringLiteral("status.containerStatuses")).toArray();
            QCOMPARE(statuses.size(), 2);
            for (const QJsonValue &c : statuses) {
                QVERIFY(c.toObject().value(QStringLiteral("state")).toObject().contains(
                    QStringLiteral("running")));
                const QString container = c.toObject().value(QStringLiteral("name")).toString();
                const QString path =
                    QStringLiteral("/api/v1/namespaces/demo/pods/%1/log?container=%2")
                        .arg(name, container);
                // Numbered lines, growing: at 200 lines/s there are more a moment later.
                QTRY_VERIFY(get(path).body.count('\n') >= 20);
                const QByteArray body = get(path).body;
                QVERIFY2(body.contains(" seq=0 "),
                         body.left(200).constData());
                QVERIFY2(body.contains(container.toLatin1() + " seq="), body.left(200).constData());
                QTRY_VERIFY(get(path).body.count('\n') > body.count('\n'));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestKubeSimDemo)
#include "tst_kubesim_demo.moc"
