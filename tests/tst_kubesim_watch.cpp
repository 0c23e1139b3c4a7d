// kubesim watches over real HTTP: events in order, bookmarks, selectors, resume, watch-list,
// 410 Expired (history and fault), cut watches.
#include "kubesimtestsupport.h"

#include <kubesim/kubesim.h>

#include <QtTest>

using namespace pw::kubesim;

using namespace KubeSimTest;

class TestKubeSimWatch : public QObject, public SimRequests {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QString error;
        QVERIFY2(startSim(0.05, &error), qPrintable(error));
    }
    void cleanup() { m_sim.reset(); }

    void watchEventsAndBookmarks() {
        m_sim->setBookmarkInterval(50);
        const QString rv =
            at(json(get(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")).body),
               QStringLiteral("metadata.resourceVersion"))
                .toString();
        Stream watch(
            m_http.manager(),
            url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?watch=1&resourceVersion=") +
                rv + QStringLiteral("&allowWatchBookmarks=true")));
        QTRY_COMPARE(m_sim->openWatches(), 1);
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("w1")));
        QTRY_COMPARE(watch.count(QStringLiteral("ADDED"), QStringLiteral("w1")), 1);
        QTRY_VERIFY(watch.data.contains("\"type\":\"Complete\""));
        QVERIFY(watch.count(QStringLiteral("MODIFIED"), QStringLiteral("w1")) >= 2);
        // A bookmark carries the newest version the watch has seen: the list's own until the
        // first change (a slow machine sends one before the Job exists), never older, never
        // going back, and newer once the Job's events have passed.
        const auto lastBookmark = [&] {
            quint64 last = 0;
            for (const QJsonObject &e : watch.events())
                if (e.value(QStringLiteral("type")).toString() == QStringLiteral("BOOKMARK")) {
                    const quint64 version = at(e, QStringLiteral("object.metadata.resourceVersion"))
                                                .toString()
                                                .toULongLong();
                    if (version < last || version < rv.toULongLong())
                        return quint64(0); // older than before: fails the check below
                    last = version;
                }
            return last;
        };
        QTRY_VERIFY(lastBookmark() > rv.toULongLong());
        for (const QJsonObject &e : watch.events())
            if (e.value(QStringLiteral("type")).toString() == QStringLiteral("BOOKMARK"))
                QCOMPARE(at(e, QStringLiteral("object.kind")).toString(), QStringLiteral("Job"));
        QCOMPARE(
            m_http
                .send(
                    "DELETE",
                    url(QStringLiteral(
                        "/apis/batch/v1/namespaces/default/jobs/w1?propagationPolicy=Background")))
                .status,
            200);
        QTRY_COMPARE(watch.count(QStringLiteral("DELETED"), QStringLiteral("w1")), 1);
        // Versions increase along the stream.
        quint64 last = 0;
        for (const QJsonObject &e : watch.events()) {
            if (e.value(QStringLiteral("type")).toString() == QStringLiteral("BOOKMARK"))
                continue;
            const quint64 v =
                at(e, QStringLiteral("object.metadata.resourceVersion")).toString().toULongLong();
            QVERIFY(v > last);
            last = v;
        }
    }

    void watchWithoutVersionListsFirstAndFiltersPods() {
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("pre")));
        Stream watch(m_http.manager(),
                     url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?watch=true")));
        QTRY_COMPARE(watch.count(QStringLiteral("ADDED"), QStringLiteral("pre")), 1);
        Stream pods(
            m_http.manager(),
            url(QStringLiteral(
                "/api/v1/namespaces/default/pods?watch=true&labelSelector=job-name%3Dpost")));
        QTRY_COMPARE(m_sim->openWatches(), 2);
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("post")));
        QTRY_VERIFY(pods.data.contains("\"phase\":\"Succeeded\""));
        for (const QJsonObject &e : pods.events())
            QCOMPARE(at(e, QStringLiteral("object.metadata.labels.job-name")).toString(),
                     QStringLiteral("post"));
    }

    void watchListWithInitialEvents() {
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("wl1")));
        Stream watch(
            m_http.manager(),
            url(QStringLiteral("/apis/batch/v1/namespaces/default/"
                               "jobs?watch=1&sendInitialEvents=true&"
                               "resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")));
        QTRY_VERIFY(watch.count(QStringLiteral("BOOKMARK")) >= 1);
        const QList<QJsonObject> events = watch.events();
        QCOMPARE(events.first().value(QStringLiteral("type")).toString(), QStringLiteral("ADDED"));
        QCOMPARE(at(events[1], QStringLiteral("object.metadata.annotations"))
                     .toObject()
                     .value(QStringLiteral("k8s.io/initial-events-end"))
                     .toString(),
                 QStringLiteral("true"));
    }

    void watchResumesFromVersion() {
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("r1")));
        const quint64 rv = m_sim->resourceVersion();
        createJob(pullJob(QStringLiteral("nginx:1.27"), QStringLiteral("r2")));
        Stream watch(
            m_http.manager(),
            url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?watch=1&resourceVersion=") +
                QString::number(rv)));
        QTRY_COMPARE(watch.count(QStringLiteral("ADDED"), QStringLiteral("r2")), 1);
        QCOMPARE(watch.count(QStringLiteral("ADDED"), QStringLiteral("r1")), 0);
    }

    void watchTooOldIsExpired() {
        KubeSimConfig config;
        config.eventHistory = 5;
        config.timeScale = 0.05;
        KubeSim small(config);
        QString error;
        QVERIFY(small.start(&error));
        const QString base = small.url().toString();
        for (int i = 0; i < 4; ++i)
            QCOMPARE(
                m_http
                    .send("POST",
                          QUrl(base + QStringLiteral("/apis/batch/v1/namespaces/default/jobs")),
                          pullJob(QStringLiteral("nginx")))
                    .status,
                201);
        Stream watch(
            m_http.manager(),
            QUrl(base + QStringLiteral(
                            "/apis/batch/v1/namespaces/default/jobs?watch=1&resourceVersion=101")));
        QTRY_VERIFY(watch.finished);
        QCOMPARE(watch.status, 200);
        const QList<QJsonObject> events = watch.events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].value(QStringLiteral("type")).toString(), QStringLiteral("ERROR"));
        QCOMPARE(at(events[0], QStringLiteral("object.code")).toInt(), 410);
        QCOMPARE(at(events[0], QStringLiteral("object.reason")).toString(),
                 QStringLiteral("Expired"));
        QVERIFY(at(events[0], QStringLiteral("object.message"))
                    .toString()
                    .startsWith(QStringLiteral("too old resource version: 101")));
    }

    void faultFailNextWatches() {
        m_sim->failNextWatches(2);
        const QString path =
            QStringLiteral("/apis/batch/v1/namespaces/default/jobs?watch=1&resourceVersion=1");
        for (int i = 0; i < 2; ++i) {
            const HttpResult r = get(path);
            QCOMPARE(r.status, 410);
            QCOMPARE(json(r.body).value(QStringLiteral("reason")).toString(),
                     QStringLiteral("Expired"));
            QCOMPARE(json(r.body).value(QStringLiteral("code")).toInt(), 410);
        }
        Stream ok(m_http.manager(),
                  url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?watch=1")));
        QTRY_COMPARE(ok.status, 200);
        QVERIFY(!ok.finished);
        m_sim->failNextWatches(1, true);
        Stream asEvent(m_http.manager(),
                       url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs?watch=1")));
        QTRY_VERIFY(asEvent.finished);
        QCOMPARE(asEvent.status, 200);
        QCOMPARE(asEvent.count(QStringLiteral("ERROR")), 1);
    }

    void faultWatchCut() {
        m_sim->setWatchCutInterval(150);
        Stream watch(m_http.manager(),
                     url(QStringLiteral("/api/v1/namespaces/default/pods?watch=1")));
        QTRY_VERIFY(watch.finished);
        QCOMPARE(watch.status, 200);
        QTRY_COMPARE(m_sim->openWatches(), 0);
        QCOMPARE(m_sim->watchesOpened(), quint64(1));
    }

    // The count per resource, namespace and label selector, as tests of one client count
    // only that client's watches.
    void watchesCountedBySelector() {
        Stream plain(m_http.manager(),
                     url(QStringLiteral("/api/v1/namespaces/default/pods?watch=1")));
        Stream selected(m_http.manager(),
                        url(QStringLiteral("/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dx")));
        QTRY_COMPARE(m_sim->openWatches(), 2);
        QCOMPARE(m_sim->watchesOpened(), quint64(2));
        QCOMPARE(m_sim->watchesOpened(QStringLiteral("pods"), QStringLiteral("default")), quint64(1));
        QCOMPARE(m_sim->watchesOpened(QStringLiteral("pods"), QStringLiteral("default"),
                                      QStringLiteral("app=x")),
                 quint64(1));
        QCOMPARE(m_sim->watchesOpened(QStringLiteral("jobs"), QStringLiteral("default")), quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestKubeSimWatch)
#include "tst_kubesim_watch.moc"
