#pragma once

#include "kubesimtestsupport.h"

#include <kubesim/kubesim.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

#include <memory>

// What the kubesim scenario suites share: a simulator on a loopback port (its clock 20 times
// faster, or stopped when a scenario file drives it) and reads of its Jobs, pods and events
// over real HTTP. Each suite's cleanup() calls stopSim().
class KubeSimScenarioFixture : public QObject {
protected:
    std::unique_ptr<pw::kubesim::KubeSim> m_sim;
    HttpClient m_http;

    void startSim(const QByteArray &scenario = {}) {
        pw::kubesim::KubeSimConfig config;
        config.timeScale = 0.05;
        if (!scenario.isEmpty()) {
            m_scenario = std::make_unique<QTemporaryFile>();
            QVERIFY(m_scenario->open());
            m_scenario->write(scenario);
            m_scenario->flush();
            config.scenarioFile = m_scenario->fileName();
            config.timeScale = 0;
        }
        m_sim = std::make_unique<pw::kubesim::KubeSim>(config);
        QString error;
        QVERIFY2(m_sim->start(&error), qPrintable(error));
    }
    std::unique_ptr<QTemporaryFile> m_scenario;

    QUrl url(const QString &pathAndQuery) const {
        return QUrl(m_sim->url().toString() + pathAndQuery);
    }
    HttpResult get(const QString &path) { return m_http.get(url(path)); }
    QString startJob(const QByteArray &body) {
        const HttpResult r = m_http.send(
            "POST", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")), body);
        return KubeSimTest::at(KubeSimTest::json(r.body), QStringLiteral("metadata.name"))
            .toString();
    }
    QJsonObject job(const QString &name) {
        return KubeSimTest::json(
            get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/") + name).body);
    }
    QJsonArray pods(const QString &jobName) {
        return KubeSimTest::json(
                   get(QStringLiteral("/api/v1/namespaces/default/pods?labelSelector=job-name%3D") +
                       jobName)
                       .body)
            .value(QStringLiteral("items"))
            .toArray();
    }
    QString condition(const QString &jobName) {
        for (const QJsonValue &c :
             KubeSimTest::at(job(jobName), QStringLiteral("status.conditions")).toArray())
            if (c.toObject().value(QStringLiteral("type")).toString() ==
                    QStringLiteral("Complete") ||
                c.toObject().value(QStringLiteral("type")).toString() == QStringLiteral("Failed"))
                return c.toObject().value(QStringLiteral("type")).toString() + u'/' +
                       c.toObject().value(QStringLiteral("reason")).toString();
        return {};
    }
    QJsonObject containerStatus(const QJsonObject &pod, const QString &name) {
        for (const char *key : {"status.initContainerStatuses", "status.containerStatuses"})
            for (const QJsonValue &v : KubeSimTest::at(pod, QLatin1String(key)).toArray())
                if (v.toObject().value(QStringLiteral("name")).toString() == name)
                    return v.toObject();
        return {};
    }
    QByteArray eventsOf(const QString &name) {
        return get(QStringLiteral(
                       "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D") +
                   name)
            .body;
    }
    void stopSim() {
        m_sim.reset();
        m_scenario.reset();
    }
};
