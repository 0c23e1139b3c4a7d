// kubesim over real HTTP: discovery, Status shapes, jobs, selectors, events, watches, faults.
#include "kubesimtestsupport.h"

#include <kubesim/kubesim.h>

#include <QtTest>

using namespace KubeSimTest;

class TestKubeSim : public QObject, public SimRequests {
    Q_OBJECT


private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(startSim(0.05, &error), qPrintable(error));
    }
    void cleanup() { m_sim.reset(); }

    void discovery() {
        HttpResult r = get(QStringLiteral("/api"));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r.body).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("APIVersions"));
        r = get(QStringLiteral("/apis"));
        QCOMPARE(at(json(r.body), QStringLiteral("groups"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("batch"));
        r = get(QStringLiteral("/api/v1"));
        QVERIFY(r.body.contains("\"name\":\"pods/log\""));
        QVERIFY(r.body.contains("\"name\":\"events\""));
        r = get(QStringLiteral("/apis/batch/v1"));
        QCOMPARE(json(r.body).value(QStringLiteral("groupVersion")).toString(),
                 QStringLiteral("batch/v1"));
        QVERIFY(r.body.contains("\"name\":\"jobs\""));
        r = get(QStringLiteral("/version"));
        QCOMPARE(json(r.body).value(QStringLiteral("major")).toString(), QStringLiteral("1"));
        r = get(QStringLiteral("/openapi/v3"));
        const QString gvUrl =
            at(json(r.body), QStringLiteral("paths.apis/batch/v1.serverRelativeURL")).toString();
        QVERIFY(gvUrl.startsWith(QStringLiteral("/openapi/v3/apis/batch/v1?hash=")));
        r = get(gvUrl);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("fieldValidation"));
        QVERIFY(r.body.contains("x-kubernetes-group-version-kind"));
    }

    void unknownPathIsStatus404() {
        const HttpResult r = get(QStringLiteral("/apis/nothing/v9/widgets"));
        QCOMPARE(r.status, 404);
        const QJsonObject s = json(r.body);
        QCOMPARE(s.value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
        QCOMPARE(s.value(QStringLiteral("apiVersion")).toString(), QStringLiteral("v1"));
        QCOMPARE(s.value(QStringLiteral("status")).toString(), QStringLiteral("Failure"));
        QCOMPARE(s.value(QStringLiteral("reason")).toString(), QStringLiteral("NotFound"));
        QCOMPARE(s.value(QStringLiteral("code")).toInt(), 404);
        const HttpResult m =
            m_http.send("PUT", url(QStringLiteral("/api/v1/namespaces/default/pods")), "{}");
        QCOMPARE(m.status, 405);
        QCOMPARE(json(m.body).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("MethodNotAllowed"));
    }

    void jobCreateGetDelete() {
        const QJsonObject job =
            createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("pull-one")));
        QCOMPARE(at(job, QStringLiteral("metadata.name")).toString(), QStringLiteral("pull-one"));
        QVERIFY(!at(job, QStringLiteral("metadata.uid")).toString().isEmpty());
        QVERIFY(at(job, QStringLiteral("metadata.resourceVersion")).toString().toULongLong() > 0);
        QCOMPARE(at(job, QStringLiteral("metadata.labels.job-name")).toString(),
                 QStringLiteral("pull-one"));
        QCOMPARE(
            at(job, QStringLiteral("spec.selector.matchLabels.batch.kubernetes.io/controller-uid"))
                .isUndefined(),
            true); // dotted key
        QCOMPARE(job.value(QStringLiteral("spec"))
                     .toObject()
                     .value(QStringLiteral("selector"))
                     .toObject()
                     .value(QStringLiteral("matchLabels"))
                     .toObject()
                     .value(QStringLiteral("batch.kubernetes.io/controller-uid"))
                     .toString(),
                 at(job, QStringLiteral("metadata.uid")).toString());

        HttpResult r = get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/pull-one"));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r.body).value(QStringLiteral("kind")).toString(), QStringLiteral("Job"));

        r = m_http.send("POST", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")),
                        pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("pull-one")));
        QCOMPARE(r.status, 409);
        QCOMPARE(json(r.body).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("AlreadyExists"));
        QCOMPARE(json(r.body).value(QStringLiteral("message")).toString(),
                 QStringLiteral("jobs.batch \"pull-one\" already exists"));

        QTRY_VERIFY(!podOf(QStringLiteral("pull-one")).isEmpty());
        const QString pod = podOf(QStringLiteral("pull-one"));
        r = m_http.send(
            "DELETE", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/pull-one")),
            R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"})");
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r.body).value(QStringLiteral("status")).toString(),
                 QStringLiteral("Success"));
        r = get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/pull-one"));
        QCOMPARE(r.status, 404);
        const QJsonObject s = json(r.body);
        QCOMPARE(s.value(QStringLiteral("message")).toString(),
                 QStringLiteral("jobs.batch \"pull-one\" not found"));
        QCOMPARE(at(s, QStringLiteral("details.kind")).toString(), QStringLiteral("jobs"));
        QCOMPARE(at(s, QStringLiteral("details.group")).toString(), QStringLiteral("batch"));
        QCOMPARE(get(QStringLiteral("/api/v1/namespaces/default/pods/") + pod).status, 404);
        QCOMPARE(m_http
                     .send("DELETE",
                           url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/pull-one")))
                     .status,
                 404);
    }

    void deleteOrphansByDefault() {
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("orphan-me")));
        QTRY_VERIFY(!podOf(QStringLiteral("orphan-me")).isEmpty());
        const QString pod = podOf(QStringLiteral("orphan-me"));
        QCOMPARE(m_http
                     .send("DELETE",
                           url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/orphan-me")))
                     .status,
                 200);
        const HttpResult r = get(QStringLiteral("/api/v1/namespaces/default/pods/") + pod);
        QCOMPARE(r.status, 200);
        QVERIFY(at(json(r.body), QStringLiteral("metadata.ownerReferences")).isUndefined());
    }

    void generateName() {
        const QJsonObject a = createJob(pullJob(QStringLiteral("nginx:1.27")));
        const QJsonObject b = createJob(pullJob(QStringLiteral("nginx:1.27")));
        const QString na = at(a, QStringLiteral("metadata.name")).toString();
        const QString nb = at(b, QStringLiteral("metadata.name")).toString();
        QVERIFY(na.startsWith(QStringLiteral("image-puller-")));
        QCOMPARE(na.size(), 18);
        QVERIFY(na != nb);
        QCOMPARE(at(a, QStringLiteral("metadata.generateName")).toString(),
                 QStringLiteral("image-puller-"));
    }

    void invalidJobs() {
        HttpResult r = m_http.send(
            "POST", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")),
            R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"bad"},"spec":{"template":{"spec":{"restartPolicy":"Never"}}}})");
        QCOMPARE(r.status, 422);
        QCOMPARE(json(r.body).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("Invalid"));
        QVERIFY(json(r.body)
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("spec.template.spec.containers: Required value")));
        r = m_http.send("POST", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")),
                        "{not json");
        QCOMPARE(r.status, 400);
        QCOMPARE(json(r.body).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("BadRequest"));
        r = m_http.send("POST", url(QStringLiteral("/apis/batch/v1/namespaces/nowhere/jobs")),
                        pullJob(QStringLiteral("nginx")));
        QCOMPARE(r.status, 404);
        QCOMPARE(json(r.body).value(QStringLiteral("message")).toString(),
                 QStringLiteral("namespaces \"nowhere\" not found"));
        r = m_http.send("POST", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")),
                        pullJob(QStringLiteral("nginx"), QStringLiteral("Bad_Name")));
        QCOMPARE(r.status, 422);
    }

    void fieldValidation() {
        QJsonObject job = json(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("typo")));
        QJsonObject spec = job.value(QStringLiteral("spec")).toObject();
        spec.insert(QStringLiteral("backofLimit"), 3);
        job.insert(QStringLiteral("spec"), spec);
        const QByteArray body = QJsonDocument(job).toJson(QJsonDocument::Compact);
        const QString jobs = QStringLiteral("/apis/batch/v1/namespaces/default/jobs");
        HttpResult r =
            m_http.send("POST", url(jobs + QStringLiteral("?fieldValidation=Strict")), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(json(r.body).value(QStringLiteral("message")).toString(),
                 QStringLiteral("Job in version \"v1\" cannot be handled as a Job: strict decoding "
                                "error: unknown field \"spec.backofLimit\""));
        r = m_http.send("POST", url(jobs), body);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.header("Warning"),
                 QByteArray("299 - \"unknown field \\\"spec.backofLimit\\\"\""));
        // Not stored, as the apiserver drops unknown fields.
        QVERIFY(!r.body.contains("backofLimit"));
        QVERIFY(!get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs/typo"))
                     .body.contains("backofLimit"));
    }

    void labelSelectors() {
        auto labelled = [](const QString &name, const QString &tier) {
            QJsonObject job = json(pullJob(QStringLiteral("nginx:1.27"), name));
            QJsonObject meta = job.value(QStringLiteral("metadata")).toObject();
            QJsonObject labels = meta.value(QStringLiteral("labels")).toObject();
            if (!tier.isEmpty())
                labels.insert(QStringLiteral("tier"), tier);
            meta.insert(QStringLiteral("labels"), labels);
            job.insert(QStringLiteral("metadata"), meta);
            return QJsonDocument(job).toJson(QJsonDocument::Compact);
        };
        createJob(labelled(QStringLiteral("ja"), QStringLiteral("a")));
        createJob(labelled(QStringLiteral("jb"), QStringLiteral("b")));
        createJob(labelled(QStringLiteral("jn"), QString()));
        const QString base =
            QStringLiteral("/apis/batch/v1/namespaces/default/jobs?labelSelector=");
        QCOMPARE(names(get(base + QStringLiteral("tier%3Da")).body),
                 QStringList{QStringLiteral("ja")});
        QCOMPARE(names(get(base + QStringLiteral("tier%3D%3Db")).body),
                 QStringList{QStringLiteral("jb")});
        QCOMPARE(names(get(base + QStringLiteral("tier!%3Da")).body),
                 (QStringList{QStringLiteral("jb"), QStringLiteral("jn")}));
        QCOMPARE(names(get(base + QStringLiteral("tier%20in%20(a,b)")).body),
                 (QStringList{QStringLiteral("ja"), QStringLiteral("jb")}));
        QCOMPARE(names(get(base + QStringLiteral("tier%20notin%20(a)")).body),
                 (QStringList{QStringLiteral("jb"), QStringLiteral("jn")}));
        QCOMPARE(names(get(base + QStringLiteral("!tier")).body),
                 QStringList{QStringLiteral("jn")});
        QCOMPARE(
            names(get(base + QStringLiteral("tier,app.kubernetes.io/managed-by%3Dpullwatch")).body),
            (QStringList{QStringLiteral("ja"), QStringLiteral("jb")}));
        QCOMPARE(names(get(QStringLiteral("/apis/batch/v1/jobs?labelSelector=tier%3Db")).body),
                 QStringList{QStringLiteral("jb")});
        QCOMPARE(get(base + QStringLiteral("tier%20in%20a")).status, 400);
        // limit and continue
        HttpResult page = get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?limit=2"));
        QCOMPARE(names(page.body).size(), 2);
        const QString next = at(json(page.body), QStringLiteral("metadata.continue")).toString();
        QVERIFY(!next.isEmpty());
        page = get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?limit=2&continue=") +
                   QString::fromLatin1(QUrl::toPercentEncoding(next)));
        QCOMPARE(names(page.body), QStringList{QStringLiteral("jn")});
    }

    void podOfJobAndEvents() {
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("pull-ev")));
        QTRY_VERIFY(!podOf(QStringLiteral("pull-ev")).isEmpty());
        const QString podName = podOf(QStringLiteral("pull-ev"));
        QVERIFY(podName.startsWith(QStringLiteral("pull-ev-")));
        QCOMPARE(podName.size(), QStringLiteral("pull-ev-").size() + 5);
        const QJsonObject pod =
            json(get(QStringLiteral("/api/v1/namespaces/default/pods/") + podName).body);
        const QJsonObject owner =
            at(pod, QStringLiteral("metadata.ownerReferences")).toArray().first().toObject();
        QCOMPARE(owner.value(QStringLiteral("kind")).toString(), QStringLiteral("Job"));
        QCOMPARE(owner.value(QStringLiteral("name")).toString(), QStringLiteral("pull-ev"));
        QCOMPARE(owner.value(QStringLiteral("controller")).toBool(), true);
        // Wait for the end, then read events by involved object.
        QTRY_COMPARE(
            at(json(get(QStringLiteral("/api/v1/namespaces/default/pods/") + podName).body),
               QStringLiteral("status.phase"))
                .toString(),
            QStringLiteral("Succeeded"));
        const QJsonObject done =
            json(get(QStringLiteral("/api/v1/namespaces/default/pods/") + podName).body);
        QCOMPARE(at(done, QStringLiteral("spec.nodeName")).toString(),
                 QStringLiteral("sim-node-1"));
        QCOMPARE(at(done, QStringLiteral("status.initContainerStatuses")).toArray().size(), 2);
        const HttpResult r =
            get(QStringLiteral(
                    "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D") +
                podName + QStringLiteral(",involvedObject.namespace%3Ddefault"));
        QCOMPARE(r.status, 200);
        QStringList reasons;
        for (const QJsonValue &v : json(r.body).value(QStringLiteral("items")).toArray()) {
            QCOMPARE(at(v.toObject(), QStringLiteral("involvedObject.name")).toString(), podName);
            reasons << v.toObject().value(QStringLiteral("reason")).toString();
        }
        for (const char *reason : {"Scheduled", "Pulling", "Pulled", "Created", "Started"})
            QVERIFY2(reasons.contains(QLatin1String(reason)), reason);
        const HttpResult jobEvents = get(QStringLiteral(
            "/api/v1/namespaces/default/"
            "events?fieldSelector=involvedObject.kind%3DJob,involvedObject.name%3Dpull-ev"));
        QVERIFY(jobEvents.body.contains("SuccessfulCreate"));
        QVERIFY(jobEvents.body.contains("Completed"));
        QCOMPARE(get(QStringLiteral(
                         "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name"))
                     .status,
                 400);
    }

    void tableOutput() {
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("tbl")));
        const QByteArray accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                                  "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        const QJsonObject t =
            json(get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs"), accept).body);
        QCOMPARE(t.value(QStringLiteral("kind")).toString(), QStringLiteral("Table"));
        QCOMPARE(t.value(QStringLiteral("apiVersion")).toString(),
                 QStringLiteral("meta.k8s.io/v1"));
        QStringList columns;
        for (const QJsonValue &c : t.value(QStringLiteral("columnDefinitions")).toArray())
            columns << c.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(columns.mid(0, 5),
                 (QStringList{QStringLiteral("Name"), QStringLiteral("Status"),
                              QStringLiteral("Completions"), QStringLiteral("Duration"),
                              QStringLiteral("Age")}));
        const QJsonArray cells = t.value(QStringLiteral("rows"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("cells"))
                                     .toArray();
        QCOMPARE(cells.first().toString(), QStringLiteral("tbl"));
        QTRY_VERIFY(!podOf(QStringLiteral("tbl")).isEmpty());
        const QJsonObject pods =
            json(get(QStringLiteral("/api/v1/namespaces/default/pods"), accept).body);
        QCOMPARE(at(pods, QStringLiteral("columnDefinitions"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("Ready"));
    }
};

QTEST_GUILESS_MAIN(TestKubeSim)
#include "tst_kubesim.moc"
