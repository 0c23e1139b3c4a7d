#include "callbackreceiver.h"
#include "freeport.h"
#include "httpclient.h"
#include "pullwatchprocess.h"
#include "redisprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

// Several real pullwatch processes, one redis-server and one pullwatch-kubesim: what a
// replica set must do as one service (docs/architecture.md §2 and §13). The same image POSTed
// to every replica at once makes one Job; a pull started on one is followed live on
// another's WebSocket; failures are listed by all; every finished pull reaches the callback
// receiver once; a logout on one is honoured by the others.
class TestMultiReplica : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void raceMakesOneJobPerImage();
    void pullFollowedLiveOnAnotherReplica();
    void failedHistorySharedAndCallbacksOnce();
    void logoutOnOneHonouredByTheOthers();

private:
    static constexpr int kReplicas = 2;
    QList<QPair<QByteArray, QByteArray>> auth() const;
    QUrl url(int replica, const QString &path) const;
    QJsonObject get(int replica, const QString &path);
    int jobsInCluster();
    // POSTs /images/pull to one replica; the first job id (empty on failure), remembered as
    // a pull that will finish.
    QString startPull(int replica, const QByteArray &body);

    QTemporaryDir m_dir;
    QProcess m_sim;
    quint16 m_simPort = 0;
    QString m_kubeconfig;
    RedisProcess m_redis;
    CallbackReceiver m_receiver;
    std::vector<std::unique_ptr<PullwatchProcess>> m_replicas;
    HttpClient m_http;
    QStringList m_finished; // every pull this suite saw finish
};

static const QByteArray kToken = "multi-replica-api-token-Zq7vKx2pL9mWc4Rt8yHb3N";
static const QByteArray kSimToken = "multi-replica-sim";
static const QByteArray kNotifyKey = "multi-replica-signing-key";

void TestMultiReplica::initTestCase() {
    m_kubeconfig = m_dir.filePath("kubeconfig");
    m_simPort = FreePort::pick();
    m_sim.start(QStringLiteral(KUBESIM_BINARY),
                {"--listen", QStringLiteral("127.0.0.1:%1").arg(m_simPort), "--token",
                 QString::fromLatin1(kSimToken), "--write-kubeconfig", m_kubeconfig, "--time-scale",
                 "0.05"});
    QVERIFY(m_sim.waitForStarted(5000));
    QTRY_VERIFY(QFile::exists(m_kubeconfig));
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
    QVERIFY(m_receiver.start());
    const QString keyFile = m_dir.filePath("notify-key");
    QFile key(keyFile);
    QVERIFY(key.open(QIODevice::WriteOnly));
    key.write(kNotifyKey + "\n");
    key.close();
    for (int i = 0; i < kReplicas; ++i) {
        auto p = std::make_unique<PullwatchProcess>();
        p->setEnvironmentValue("PULLWATCH_TOKEN", QString::fromLatin1(kToken));
        QVERIFY2(p->start({"--headless", "--listen", "127.0.0.1:0", "--kubeconfig", m_kubeconfig,
                           "--redis", m_redis.url(), "--pull-backoff-grace", "1", "--notify-url",
                           m_receiver.url().toString(), "--notify-secret-file", keyFile}),
                 qPrintable(p->error()));
        m_replicas.push_back(std::move(p));
    }
    for (int i = 0; i < kReplicas; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(m_http.get(url(i, "/readyz")).status, 200, 20'000);
}

void TestMultiReplica::cleanupTestCase() {
    for (auto &p : m_replicas)
        QCOMPARE(p->terminate(), 0);
    m_sim.terminate();
    m_sim.waitForFinished(5000);
}

QList<QPair<QByteArray, QByteArray>> TestMultiReplica::auth() const {
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

QUrl TestMultiReplica::url(int replica, const QString &path) const {
    return m_replicas[replica]->baseUrl().resolved(QUrl(path));
}

QJsonObject TestMultiReplica::get(int replica, const QString &path) {
    return QJsonDocument::fromJson(m_http.get(url(replica, path), auth()).body).object();
}

int TestMultiReplica::jobsInCluster() {
    const HttpResult r =
        m_http.get(QUrl(QStringLiteral("http://127.0.0.1:%1/apis/batch/v1/namespaces/default/jobs")
                            .arg(m_simPort)),
                   {{"Authorization", "Bearer " + kSimToken}});
    return int(QJsonDocument::fromJson(r.body).object()["items"].toArray().size());
}

QString TestMultiReplica::startPull(int replica, const QByteArray &body) {
    const HttpResult r = m_http.send("POST", url(replica, "/images/pull"), body, auth());
    if (r.status != 200)
        qWarning("POST /images/pull: %d %s", r.status, r.body.constData());
    const QString id = QJsonDocument::fromJson(r.body)["data"]["job_ids"][0].toString();
    if (!id.isEmpty())
        m_finished << id;
    return id;
}

// Eight images, each POSTed to every replica at the same moment: eight Jobs, and every
// answer names the Job that exists.
void TestMultiReplica::raceMakesOneJobPerImage() {
    const int before = jobsInCluster();
    QNetworkAccessManager nam;
    QHash<QString, QSet<QString>> idsOf; // image → ids answered
    int answered = 0;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 8; ++i) {
        const QString image = QStringLiteral("race-%1:1").arg(i);
        const QByteArray body = QJsonDocument(QJsonObject{{"names", QJsonArray{image}}}).toJson();
        for (int r = 0; r < kReplicas; ++r) {
            QNetworkRequest request(url(r, "/images/pull"));
            for (const auto &[name, value] : auth())
                request.setRawHeader(name, value);
            QNetworkReply *reply = nam.post(request, body);
            connect(reply, &QNetworkReply::finished, this, [&, reply, image] {
                const QJsonObject e = QJsonDocument::fromJson(reply->readAll()).object();
                if (e["code"].toInt() != 200)
                    qWarning("POST answered %s",
                             QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
                for (const QJsonValue &id : e["data"].toObject()["job_ids"].toArray())
                    idsOf[image].insert(id.toString());
                ++answered;
                reply->deleteLater();
            });
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, 8 * kReplicas, 20'000);
    QCOMPARE(jobsInCluster() - before, 8);
    QCOMPARE(idsOf.size(), 8);
    for (auto it = idsOf.cbegin(); it != idsOf.cend(); ++it) {
        QCOMPARE(it.value().size(), 1); // every replica answered with the same Job
        const QString id = *it.value().begin();
        m_finished << id;
        for (int r = 0; r < kReplicas; ++r)
            QTRY_COMPARE(get(r, "/images/pull/" + id)["data"].toObject()["job_id"].toString(), id);
    }
    for (const QString &id : std::as_const(m_finished))
        QTRY_COMPARE_WITH_TIMEOUT(
            get(0, "/images/pull/" + id)["data"].toObject()["status"].toString(), "completed",
            30'000);
}

void TestMultiReplica::pullFollowedLiveOnAnotherReplica() {
    const QString id = startPull(0, R"({"name":"slow-followed:1"})");
    QVERIFY(!id.isEmpty());
    // The other replica learns of it from the cluster (its watch), not from the first.
    QTRY_COMPARE(get(1, "/images/pull/" + id)["code"].toInt(), 200);
    QWebSocket ws;
    QList<QJsonObject> messages;
    bool closed = false;
    connect(&ws, &QWebSocket::textMessageReceived, this,
            [&](const QString &m) { messages << QJsonDocument::fromJson(m.toUtf8()).object(); });
    connect(&ws, &QWebSocket::disconnected, this, [&] { closed = true; });
    QUrl wsUrl = url(1, "/ws/image-pull/" + id);
    wsUrl.setScheme("ws");
    QNetworkRequest request(wsUrl);
    request.setRawHeader("Authorization", "Bearer " + kToken);
    ws.open(request);
    QTRY_VERIFY_WITH_TIMEOUT(closed, 30'000);
    QVERIFY(messages.size() >= 2);
    QCOMPARE(messages.first()["type"].toString(), "status");
    QCOMPARE(messages.first()["job_id"].toString(), id);
    QVERIFY(messages.first()["status"].toString() != "completed"); // joined while it ran
    QCOMPARE(messages.last()["status"].toString(), "completed");
    QCOMPARE(ws.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    int previous = -1;
    for (const QJsonObject &m : messages) {
        QVERIFY(m["progress"].toInt() >= previous); // live, in order
        previous = m["progress"].toInt();
    }
}

void TestMultiReplica::failedHistorySharedAndCallbacksOnce() {
    const QString id = startPull(1, R"({"names":["team/pushfail-multi:1"]})");
    QVERIFY(!id.isEmpty());
    for (int i = 0; i < kReplicas; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(
            get(i, "/images/pull-failed")["data"].toArray().first().toObject()["job_id"].toString(),
            id, 30'000);
        QTRY_VERIFY(!get(i, "/images/pull/" + id)["data"].toObject()["events"].toArray().isEmpty());
    }
    // Every finished pull of this suite reached the receiver exactly once, signed.
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.accepted().size(), m_finished.size(), 30'000);
    QTest::qWait(2000); // a second copy would arrive by now
    QCOMPARE(m_receiver.accepted().size(), m_finished.size());
    QSet<QString> delivered;
    for (const CallbackReceiver::Call &call : m_receiver.accepted()) {
        QCOMPARE(call.signature, "sha256=" + QMessageAuthenticationCode::hash(
                                                 call.body, kNotifyKey, QCryptographicHash::Sha256)
                                                 .toHex());
        delivered.insert(QJsonDocument::fromJson(call.body).object()["job_id"].toString());
    }
    QCOMPARE(delivered, QSet<QString>(m_finished.begin(), m_finished.end()));
}

void TestMultiReplica::logoutOnOneHonouredByTheOthers() {
    const HttpResult login =
        m_http.send("POST", url(0, "/login"),
                    QJsonDocument(QJsonObject{{"token", QString::fromLatin1(kToken)}}).toJson(),
                    {{"Content-Type", "application/json"},
                     {"Origin", url(0, "/").toString(QUrl::RemovePath).toUtf8()}});
    QCOMPARE(login.status, 200);
    const QByteArray setCookie = login.header("Set-Cookie");
    const QByteArray cookie = setCookie.left(setCookie.indexOf(';'));
    QVERIFY(!cookie.isEmpty());
    for (int i = 0; i < kReplicas; ++i)
        QCOMPARE(m_http.get(url(i, "/images/pull-active"), {{"Cookie", cookie}}).status, 200);
    const HttpResult logout = m_http.send(
        "POST", url(0, "/logout"), {},
        {{"Cookie", cookie}, {"Origin", url(0, "/").toString(QUrl::RemovePath).toUtf8()}});
    QCOMPARE(logout.status, 200);
    for (int i = 0; i < kReplicas; ++i)
        QTRY_COMPARE(m_http.get(url(i, "/images/pull-active"), {{"Cookie", cookie}}).status, 401);
}

QTEST_GUILESS_MAIN(TestMultiReplica)
#include "tst_multireplica.moc"
