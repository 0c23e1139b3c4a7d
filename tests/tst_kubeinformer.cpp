#include "kubefakeapi.h"
#include "kube/kubeclient.h"
#include "kube/kubeinformer.h"

#include <QHash>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace pw::kube;

// List + watch of Jobs: every final state seen, nothing added twice, through cut watches,
// 410 Gone (as HTTP status and as ERROR event), bookmarks, and broken stream lines.
class TestKubeInformer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void watch500JobsWithCutsAnd410();
    void resumesFromBookmark();
    void deletedWhileNotWatchingIsReported();
    void malformedWatchLine_data();
    void malformedWatchLine();
    void oversizedWatchLine();
    void silentWatchIsReplaced();

private:
    KubeInformer *startInformer();

    // What a consumer saw, per uid.
    struct Seen {
        int added = 0;
        int deleted = 0;
        QJsonObject last;
    };
    std::unique_ptr<KubeFakeApi> m_api;
    KubeClient *m_client = nullptr;
    QHash<QString, Seen> m_seen;
    QStringList m_errors;
};

void TestKubeInformer::init() {
    m_api = std::make_unique<KubeFakeApi>();
    QVERIFY(m_api->listen());
    KubeConfig c;
    c.server = QUrl(m_api->serverUrl());
    m_client = KubeClient::create(c, m_api.get()).value();
    m_seen.clear();
    m_errors.clear();
}

void TestKubeInformer::cleanup() {
    m_api.reset();
}

KubeInformer *TestKubeInformer::startInformer() {
    auto *informer =
        new KubeInformer(m_client, KubeInformer::Resource::Jobs, "pulls", "app=pull", m_client);
    KubeInformer::Options o;
    o.retryInitialMs = 20;
    o.retryMaxMs = 200;
    o.maxLineBytes = 64 * 1024;
    informer->setOptions(o);
    auto uid = [](const QJsonObject &j) { return j["metadata"]["uid"].toString(); };
    connect(informer, &KubeInformer::added, this, [this, uid](const QJsonObject &j) {
        Seen &s = m_seen[uid(j)];
        ++s.added;
        s.last = j;
    });
    connect(informer, &KubeInformer::modified, this,
            [this, uid](const QJsonObject &j) { m_seen[uid(j)].last = j; });
    connect(informer, &KubeInformer::deleted, this, [this, uid](const QJsonObject &j) {
        Seen &s = m_seen[uid(j)];
        ++s.deleted;
        s.last = j;
    });
    connect(informer, &KubeInformer::errorOccurred, this,
            [this](const QString &e) { m_errors << e; });
    informer->start();
    return informer;
}

void TestKubeInformer::watch500JobsWithCutsAnd410() {
    constexpr int kJobs = 500;
    m_api->watchCutMs = 2000;
    m_api->addJob("pulls", "unrelated", {{"app", "other"}});
    KubeInformer *informer = startInformer();
    QTRY_VERIFY(informer->hasSynced());
    // A controller: 2 new jobs every 20 ms, each running 5 ticks later and complete 15 later.
    int tick = 0;
    QTimer churn;
    connect(&churn, &QTimer::timeout, this, [&] {
        ++tick;
        for (int i = 0; i < 2; ++i) {
            const int n = (tick - 1) * 2 + i;
            if (n < kJobs)
                m_api->addJob("pulls", QStringLiteral("image-puller-%1").arg(n), {{"app", "pull"}});
        }
        for (int i = 0; i < 2; ++i) {
            const int running = (tick - 6) * 2 + i, done = (tick - 16) * 2 + i;
            if (running >= 0 && running < kJobs)
                m_api->updateJobStatus("pulls", QStringLiteral("image-puller-%1").arg(running),
                                       {{"active", 1}});
            if (done >= 0 && done < kJobs)
                m_api->updateJobStatus(
                    "pulls", QStringLiteral("image-puller-%1").arg(done),
                    {{"succeeded", 1},
                     {"conditions",
                      QJsonArray{QJsonObject{{"type", "Complete"}, {"status", "True"}}}}});
        }
        if (tick == 100) {          // history compacted: the next two watches get 410, as an HTTP
            m_api->goneWatches = 2; // status and then as an ERROR event
            m_api->cutWatches();
        }
        if (tick > kJobs / 2 + 16)
            churn.stop();
    });
    churn.start(20);
    QTRY_VERIFY_WITH_TIMEOUT(!churn.isActive(), 30'000);
    auto complete = [&] {
        int n = 0;
        for (const Seen &s : std::as_const(m_seen))
            n += s.last["status"]["succeeded"].toInt() == 1;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(complete(), kJobs, 15'000);
    QCOMPARE(m_seen.size(), kJobs); // the unrelated job was never reported
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it) {
        QVERIFY2(it->added == 1, qPrintable(it.key()));
        QCOMPARE(it->deleted, 0);
    }
    QCOMPARE(informer->relistCount(), 3); // the first list and one per 410
    QVERIFY(m_api->watchesServed >= 4);
    qInfo("%d jobs, %d watches, %d lists", kJobs, informer->watchCount(), informer->relistCount());
}

void TestKubeInformer::resumesFromBookmark() {
    m_api->addJob("pulls", "a", {{"app", "pull"}});
    KubeInformer *informer = startInformer();
    QTRY_VERIFY(informer->hasSynced());
    m_api->addJob("pulls", "elsewhere", {{"app", "other"}}); // moves the version, not seen
    QTRY_COMPARE(m_api->watchesServed, 1);
    m_api->bookmarkWatches = 1;            // the second watch ends at once with a bookmark
    m_api->cutWatches();                   // the first watch: no bookmark
    QTRY_COMPARE(m_api->watchesServed, 3); // the third resumes from it and stays open
    const QByteArray last = m_api->requests.last();
    QVERIFY2(last.contains("resourceVersion=" + m_api->job("pulls", "elsewhere")
                                                    .value("metadata")["resourceVersion"]
                                                    .toString()
                                                    .toLatin1()),
             last.constData());
    QVERIFY(last.contains("allowWatchBookmarks=true"));
    QCOMPARE(informer->relistCount(), 1);
}

void TestKubeInformer::deletedWhileNotWatchingIsReported() {
    m_api->addJob("pulls", "a", {{"app", "pull"}});
    m_api->addJob("pulls", "b", {{"app", "pull"}});
    KubeInformer *informer = startInformer();
    QTRY_COMPARE(m_seen.size(), 2);
    QTRY_COMPARE(m_api->watchesServed, 1);
    m_api->goneWatches = 1;
    m_api->cutWatches();
    m_api->removeJob("pulls", "a"); // no watch open: only a re-list can tell
    QTRY_COMPARE(informer->relistCount(), 2);
    auto deleted = [this] {
        int n = 0;
        for (const Seen &s : std::as_const(m_seen))
            n += s.deleted;
        return n;
    };
    QTRY_COMPARE(deleted(), 1);
    QCOMPARE(informer->objects().size(), 1);
}

void TestKubeInformer::malformedWatchLine_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("cut"); // end the stream right after
    QTest::newRow("truncated JSON")
        << QByteArray("{\"type\":\"ADDED\",\"object\":{\"metadata\":\n") << false;
    QTest::newRow("not JSON") << QByteArray("<html>proxy error</html>\n") << false;
    QTest::newRow("JSON without type") << QByteArray("{\"object\":{}}\n") << false;
    QTest::newRow("stream ends inside a line")
        << QByteArray("{\"type\":\"MODIFIED\",\"obj") << true;
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe\x01\n", 5) << false;
}

void TestKubeInformer::malformedWatchLine() {
    QFETCH(QByteArray, raw);
    QFETCH(bool, cut);
    m_api->addJob("pulls", "a", {{"app", "pull"}});
    KubeInformer *informer = startInformer();
    QTRY_COMPARE(m_api->watchesServed, 1);
    m_api->injectWatchLine(raw);
    if (cut)
        m_api->cutWatches();
    QTRY_COMPARE(informer->relistCount(), 2); // resynced
    QVERIFY(cut || !m_errors.isEmpty());
    QTRY_COMPARE(m_api->watchesServed, 2);
    m_api->addJob("pulls", "b", {{"app", "pull"}}); // and it goes on watching
    QTRY_COMPARE(m_seen.size(), 2);
    for (const Seen &s : std::as_const(m_seen))
        QCOMPARE(s.added, 1);
}

void TestKubeInformer::oversizedWatchLine() {
    KubeInformer *informer = startInformer();
    QTRY_COMPARE(m_api->watchesServed, 1);
    m_api->injectWatchLine("{\"type\":\"ADDED\",\"object\":{\"x\":\"" +
                           QByteArray(1024 * 1024, 'y') + "\"}}\n");
    QTRY_COMPARE(informer->relistCount(), 2);
    QVERIFY(!m_errors.isEmpty());
    QVERIFY2(m_errors.first().contains("larger than 65536 bytes"), qPrintable(m_errors.first()));
}

void TestKubeInformer::silentWatchIsReplaced() {
    m_api->addJob("pulls", "a", {{"app", "pull"}});
    auto *informer =
        new KubeInformer(m_client, KubeInformer::Resource::Jobs, "pulls", "app=pull", m_client);
    KubeInformer::Options o;
    o.idleTimeoutMs = 300; // a connection that died without a FIN sends nothing, ever
    informer->setOptions(o);
    informer->start();
    QTRY_COMPARE(m_api->watchesServed, 1);
    const QByteArray first = m_api->requests.last();
    QTRY_VERIFY(m_api->watchesServed >= 2);
    QCOMPARE(m_api->requests.last(), first); // resumed from the same version, no re-list
    QCOMPARE(informer->relistCount(), 1);
}

QTEST_MAIN(TestKubeInformer)
#include "tst_kubeinformer.moc"
