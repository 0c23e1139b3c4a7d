#include "freeport.h"
#include "kubetostring.h"
#include "kubefakeapi.h"
#include "kubetestwait.h"
#include "kube/kubeclient.h"
#include "kube/podlogstream.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace pw::kube;

// KubeClient's calls against the fake API server: Jobs, Pods, Events, Status errors,
// name validation, retries with a visible reconnecting state, '+' encoding, and many
// concurrent streams that must not queue behind the per-host connection limit.
class TestKubeClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void jobLifecycle();
    void notFoundIsTypedError();
    void invalidNamesNeverReachTheServer_data();
    void invalidNamesNeverReachTheServer();
    void podsAndEvents();
    void statusWithUnexpectedFieldsFromServer();
    void networkFailureRetriesAndReconnects();
    void createIsNotRetriedAfterSending();
    void sinceTimePlusIsEncoded();
    void manyConcurrentStreamsDoNotQueue();

private:
    KubeClient *makeClient(const QString &server);
    std::unique_ptr<KubeFakeApi> m_api;
};

void TestKubeClient::init() {
    m_api = std::make_unique<KubeFakeApi>();
}

void TestKubeClient::cleanup() {
    m_api.reset();
}

KubeClient *TestKubeClient::makeClient(const QString &server) {
    KubeConfig c;
    c.server = QUrl(server);
    c.namespaceName = "pulls";
    auto k = KubeClient::create(c, m_api.get());
    KubeClient::Options o;
    o.retryInitialMs = 20;
    o.retryMaxMs = 200;
    k.value()->setOptions(o);
    return k.value();
}

void TestKubeClient::jobLifecycle() {
    QVERIFY(m_api->listen());
    KubeClient *k = makeClient(m_api->serverUrl());
    const QJsonObject job{
        {"apiVersion", "batch/v1"},
        {"kind", "Job"},
        {"metadata",
         QJsonObject{{"generateName", "image-puller-"},
                     {"labels", QJsonObject{{"app.kubernetes.io/managed-by", "pullwatch"}}}}}};
    KubeOutcome created = kubeWait(k->createJob("pulls", job));
    QVERIFY2(created.ok(), qPrintable(created.error.toString()));
    QCOMPARE(created.status, 201);
    const QString name = created.json()["metadata"]["name"].toString();
    QVERIFY(name.startsWith("image-puller-"));
    QCOMPARE(m_api->jobCount(), 1);

    QCOMPARE(kubeWait(k->getJob("pulls", name)).json()["metadata"]["name"].toString(), name);
    const KubeOutcome listed =
        kubeWait(k->listJobs("pulls", "app.kubernetes.io/managed-by=pullwatch"));
    QCOMPARE(listed.json()["items"].toArray().size(), 1);
    QVERIFY(m_api->requests.last().contains(
        "labelSelector=app.kubernetes.io%2Fmanaged-by%3Dpullwatch"));
    QCOMPARE(kubeWait(k->listJobs("pulls", "app=other")).json()["items"].toArray().size(), 0);

    QVERIFY(kubeWait(k->deleteJob("pulls", name)).ok());
    QCOMPARE(m_api->jobCount(), 0);
    QCOMPARE(QJsonDocument::fromJson(m_api->bodies.last())["propagationPolicy"].toString(),
             QString("Background"));
    QCOMPARE(k->state(), KubeClient::ConnectionState::Connected);
}

void TestKubeClient::notFoundIsTypedError() {
    QVERIFY(m_api->listen());
    KubeClient *k = makeClient(m_api->serverUrl());
    const KubeOutcome r = kubeWait(k->getJob("pulls", "missing"));
    QCOMPARE(r.error.kind, KubeError::Kind::Api);
    QVERIFY(r.error.isNotFound());
    QCOMPARE(r.error.reason, QString("NotFound"));
    QCOMPARE(r.error.message, QString("jobs.batch \"missing\" not found"));
    QCOMPARE(k->state(), KubeClient::ConnectionState::Connected); // the server answered
}

void TestKubeClient::invalidNamesNeverReachTheServer_data() {
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("field");
    QTest::newRow("namespace with slash") << "a/b"
                                          << "job"
                                          << "namespace";
    QTest::newRow("namespace upper case") << "Pulls"
                                          << "job"
                                          << "namespace";
    QTest::newRow("job with ..") << "pulls"
                                 << ".."
                                 << "job";
    QTest::newRow("job with query") << "pulls"
                                    << "x?watch=1"
                                    << "job";
    QTest::newRow("job empty") << "pulls"
                               << ""
                               << "job";
}

void TestKubeClient::invalidNamesNeverReachTheServer() {
    QFETCH(QString, ns);
    QFETCH(QString, name);
    QFETCH(QString, field);
    QVERIFY(m_api->listen());
    KubeClient *k = makeClient(m_api->serverUrl());
    for (int i = 0; i < 2; ++i) {
        // A call deletes itself after finished(): connect before returning to the event loop.
        const KubeOutcome r = kubeWait(i == 0 ? k->getJob(ns, name) : k->deleteJob(ns, name));
        QCOMPARE(r.error.kind, KubeError::Kind::Invalid);
        QVERIFY2(r.error.message.contains(field), qPrintable(r.error.message));
    }
    QVERIFY(m_api->requests.isEmpty());
}

void TestKubeClient::podsAndEvents() {
    QVERIFY(m_api->listen());
    m_api->setPod("pulls", "image-puller-x-abcde", false);
    KubeClient *k = makeClient(m_api->serverUrl());
    QCOMPARE(kubeWait(k->getPod("", "image-puller-x-abcde")).json()["status"]["phase"].toString(),
             QString("Running"));
    QCOMPARE(
        kubeWait(k->listPods("pulls", "job-name=image-puller-x")).json()["items"].toArray().size(),
        1);
    QVERIFY(m_api->requests.last().endsWith("?labelSelector=job-name%3Dimage-puller-x"));
    const KubeOutcome events = kubeWait(k->listEvents("pulls", "image-puller-x-abcde", "Pod"));
    QCOMPARE(events.json()["items"][0]["involvedObject"]["name"].toString(),
             QString("image-puller-x-abcde"));
    QCOMPARE(m_api->requests.last(), QByteArray("/api/v1/namespaces/pulls/"
                                                "events?fieldSelector=involvedObject.name%3Dimage-"
                                                "puller-x-abcde%2CinvolvedObject.kind%3DPod"));
}

void TestKubeClient::statusWithUnexpectedFieldsFromServer() {
    QVERIFY(m_api->listen());
    m_api->overrides.insert(
        "/apis/batch/v1/namespaces/pulls/jobs/odd",
        {422,
         R"({"kind":"Status","apiVersion":"v1","metadata":{"weird":[1,{"x":null}]},"status":{"nested":"object"},"message":"Job.batch \"odd\" is invalid: spec.template: Required value","reason":"Invalid","details":{"causes":[{"reason":"FieldValueRequired","field":"spec.template","extra":true}],"kind":42},"code":422,"unknownTopLevel":{"a":[]}})"});
    m_api->overrides.insert("/apis/batch/v1/namespaces/pulls/jobs/html",
                            {500, QByteArray(200'000, '<')});
    KubeClient *k = makeClient(m_api->serverUrl());
    KubeOutcome r = kubeWait(k->getJob("pulls", "odd"));
    QCOMPARE(r.error.code, 422);
    QCOMPARE(r.error.reason, QString("Invalid"));
    QVERIFY(r.error.message.contains("spec.template: Required value"));
    KubeClient::Options o = k->options();
    o.maxRetries = 0;
    k->setOptions(o);
    r = kubeWait(k->getJob("pulls", "html"));
    QCOMPARE(r.error.code, 500);
    QVERIFY(r.error.message.size() < 1000);
}

void TestKubeClient::networkFailureRetriesAndReconnects() {
    const quint16 port = FreePort::pick();
    KubeClient *k = makeClient(QStringLiteral("http://127.0.0.1:%1").arg(port));
    KubeClient::Options o = k->options();
    o.retryInitialMs = 50;
    o.maxRetries = 30;
    k->setOptions(o);
    QList<KubeClient::ConnectionState> states;
    connect(k, &KubeClient::stateChanged, this,
            [&](KubeClient::ConnectionState s) { states << s; });
    KubeOutcome r;
    QObject ctx;
    bool done = false;
    KubeCall *call = k->listJobs("pulls");
    connect(call, &KubeCall::finished, &ctx, [&](KubeCall *c) {
        done = true;
        r.error = c->error();
    });
    QTRY_COMPARE(k->state(), KubeClient::ConnectionState::Reconnecting);
    QVERIFY(!done);
    QVERIFY(m_api->listen(port)); // the API server comes back
    QTRY_VERIFY_WITH_TIMEOUT(done, 10'000);
    QVERIFY2(r.error.isNull(), qPrintable(r.error.toString()));
    QCOMPARE(k->state(), KubeClient::ConnectionState::Connected);
    QCOMPARE(states.first(), KubeClient::ConnectionState::Reconnecting);
    QCOMPARE(states.last(), KubeClient::ConnectionState::Connected);
}

void TestKubeClient::createIsNotRetriedAfterSending() {
    QVERIFY(m_api->listen());
    m_api->overrides.insert("/apis/batch/v1/namespaces/pulls/jobs",
                            {500, R"({"kind":"Status","code":500,"message":"etcd timeout"})"});
    KubeClient *k = makeClient(m_api->serverUrl());
    const KubeOutcome r = kubeWait(
        k->createJob("pulls", QJsonObject{{"metadata", QJsonObject{{"generateName", "x-"}}}}));
    QCOMPARE(r.error.code, 500);
    QCOMPARE(m_api->requests.size(), 1); // generateName would make a second Job
    // An idempotent GET is retried.
    m_api->requests.clear();
    KubeClient::Options o = k->options();
    o.maxRetries = 2;
    k->setOptions(o);
    QCOMPARE(kubeWait(k->listJobs("pulls")).error.code, 500);
    QCOMPARE(m_api->requests.size(), 3);
}

void TestKubeClient::sinceTimePlusIsEncoded() {
    QVERIFY(m_api->listen());
    m_api->setLog("pulls", "p", {});
    KubeClient *k = makeClient(m_api->serverUrl());
    PodLogOptions options;
    options.pod = "p";
    options.container = "main";
    options.sinceTime = "2026-11-27T11:00:00+01:00";
    options.tailLines = 10;
    options.follow = false;
    PodLogStream stream(k, options);
    QCOMPARE(stream.nextUrl().query(QUrl::FullyEncoded),
             QString("timestamps=true&container=main&sinceTime=2026-11-27T11%3A00%3A00%2B01%3A00&"
                     "tailLines=10"));
    stream.start();
    QTRY_COMPARE(stream.state(), PodLogStream::State::Ended);
    options.previous = true;
    options.follow = true;
    options.container.clear();
    options.sinceTime.clear();
    options.tailLines = -1;
    QCOMPARE(PodLogStream(k, options).nextUrl().query(QUrl::FullyEncoded),
             QString("follow=true&timestamps=true&previous=true"));
    QVERIFY(m_api->requests.last().contains("sinceTime=2026-11-27T11%3A00%3A00%2B01%3A00"));
}

void TestKubeClient::manyConcurrentStreamsDoNotQueue() {
    constexpr int kStreams = 30;
    QVERIFY(m_api->listen());
    for (int i = 0; i < kStreams; ++i)
        m_api->setLog("pulls", QStringLiteral("held-%1").arg(i), {1, 0, true, 0});
    KubeClient *k = makeClient(m_api->serverUrl());

    // Baseline: one QNetworkAccessManager for all streams.
    QNetworkAccessManager plain;
    QList<QNetworkReply *> plainReplies;
    int plainFirst = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kStreams; ++i) {
        QNetworkReply *r = plain.get(QNetworkRequest(
            k->url(QStringLiteral("/api/v1/namespaces/pulls/pods/held-%1/log").arg(i),
                   KubeQuery().add("follow", "true"))));
        connect(r, &QNetworkReply::readyRead, this, [&plainFirst, r] {
            if (r->property("seen").isNull()) {
                r->setProperty("seen", true);
                ++plainFirst;
            }
        });
        plainReplies << r;
    }
    QTRY_COMPARE(plainFirst, 6);
    // An ordinary request on that manager now waits behind the streams, as do streams 7-30.
    QNetworkReply *probe =
        plain.get(QNetworkRequest(k->url("/apis/batch/v1/namespaces/pulls/jobs", {})));
    const bool probeAnswered = QTest::qWaitFor([probe] { return probe->isFinished(); }, 500);
    const int plainStarted = plainFirst;
    QCOMPARE(m_api->logConnections, 6);
    QVERIFY(!probeAnswered);
    delete probe;
    qDeleteAll(plainReplies);
    m_api->endLogStreams();

    // The client: a pool of managers for streams.
    clock.restart();
    QList<PodLogStream *> streams;
    int firstLines = 0;
    for (int i = 0; i < kStreams; ++i) {
        PodLogOptions o;
        o.pod = QStringLiteral("held-%1").arg(i);
        auto *s = new PodLogStream(k, o, k);
        connect(s, &PodLogStream::linesReceived, this, [&firstLines] { ++firstLines; });
        s->start();
        streams << s;
    }
    QTRY_COMPARE_WITH_TIMEOUT(firstLines, kStreams, 10'000);
    const qint64 allStreamingMs = clock.elapsed();
    // Ordinary requests still answer at once while every stream holds its connection.
    clock.restart();
    QVERIFY(kubeWait(k->listJobs("pulls")).ok());
    const qint64 requestMs = clock.elapsed();
    QCOMPARE(k->activeStreams(), kStreams);
    qInfo("one QNAM: %d of %d streams started, a GET queued >500 ms; pool: all %d streaming after "
          "%lld ms on %d managers; a list call meanwhile took %lld ms",
          plainStarted, kStreams, kStreams, allStreamingMs, k->streamManagers(), requestMs);
    QCOMPARE(plainStarted, 6); // Qt's per-host limit, which the pool exists for
    QVERIFY(k->streamManagers() >= kStreams / 6);
    for (PodLogStream *s : streams)
        s->stop();
}

QTEST_MAIN(TestKubeClient)
#include "tst_kubeclient.moc"
