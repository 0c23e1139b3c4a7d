// The chaos soak: a real Pullwatch process against a simulated cluster with faults on (watch
// cuts, 410 Expired, lagging watches, log drops), Redis stopped (SIGSTOP/SIGCONT) and killed
// and restarted, and Pullwatch itself restarted once, while pulls run and status subscribers
// listen and log viewers follow chatty pods. The invariants are checked at the end and
// printed. SOAK_SECONDS sets the length
// (`make soak MINUTES=N`; the CTest version runs 3 minutes).
#include "clusterfixture.h"
#include "httpclient.h"
#include "pullwatchprocess.h"
#include "redisprocess.h"
#include "tst_ws_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <csignal>
#include <memory>

namespace {

int soakSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("SOAK_SECONDS", &ok);
    return ok && s >= 30 ? s : 180;
}

qint64 rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// One /ws/image-pull-all subscriber to every pull. Each connection is a session; within a
// session the status messages of a pull must move forward, never repeat and end at most once.
class Subscriber : public QObject
{
public:
    struct Violations
    {
        int backwards = 0, duplicates = 0, afterFinal = 0;
    };

    void open(const QUrl &base)
    {
        m_socket = std::make_unique<QWebSocket>();
        m_session.clear();
        QUrl url = base;
        url.setScheme(QStringLiteral("ws"));
        url.setPath(QStringLiteral("/ws/image-pull-all"));
        QWebSocket *socket = m_socket.get();
        connect(socket, &QWebSocket::connected, this, [socket] {
            socket->sendTextMessage(QStringLiteral(R"({"action":"subscribe","job_id":"*"})"));
        });
        connect(socket, &QWebSocket::textMessageReceived, this, &Subscriber::onMessage);
        socket->open(url);
    }
    bool isConnected() const
    {
        return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
    }
    const Violations &violations() const { return m_violations; }
    // Pulls this subscriber saw end, and how often.
    const QHash<QString, int> &finals() const { return m_finals; }

private:
    struct Seen
    {
        int progress = -1;
        QString status;
        bool final = false;
        QJsonObject last;
    };

    void onMessage(const QString &text)
    {
        const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = m.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("subscribed")) {
            for (const QJsonValue &v : m.value(QStringLiteral("snapshot")).toArray())
                take(v.toObject(), true);
        } else if (type == QStringLiteral("status")) {
            take(m, false);
        }
    }
    void take(const QJsonObject &m, bool snapshot)
    {
        const QString id = m.value(QStringLiteral("job_id")).toString();
        const QString status = m.value(QStringLiteral("status")).toString();
        const int progress = m.value(QStringLiteral("progress")).toInt();
        Seen &seen = m_session[id];
        const bool final =
            status == QStringLiteral("completed") || status == QStringLiteral("failed");
        // A final state may be sent again with more detail (a failure's reason); it may not
        // change, and nothing may be sent twice as it was.
        if (!snapshot && m == seen.last)
            note(m_violations.duplicates, m);
        else if (seen.final && status != seen.status)
            note(m_violations.afterFinal, m);
        else if (progress < seen.progress && status != QStringLiteral("failed"))
            note(m_violations.backwards, m);
        if (final && !seen.final)
            ++m_finals[id];
        seen.progress = progress;
        seen.status = status;
        seen.final = seen.final || final;
        seen.last = m;
    }
    void note(int &counter, const QJsonObject &m)
    {
        if (++counter == 1 && m_examples < 3) {
            ++m_examples;
            qInfo().noquote() << "violation:" << QJsonDocument(m).toJson(QJsonDocument::Compact);
        }
    }

    std::unique_ptr<QWebSocket> m_socket;
    QHash<QString, Seen> m_session;
    QHash<QString, int> m_finals;
    Violations m_violations;
    int m_examples = 0;
};

} // namespace

class TestSoak : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chaos();

private:
    QJsonObject get(const QUrl &base, const QString &path);
    void countStatus(int status);

    HttpClient m_http;
    QMap<int, int> m_statuses; // answers by status
};

QJsonObject TestSoak::get(const QUrl &base, const QString &path)
{
    const HttpResult r = m_http.get(base.resolved(QUrl(path)));
    countStatus(r.status);
    return QJsonDocument::fromJson(r.body).object();
}

void TestSoak::countStatus(int status)
{
    ++m_statuses[status];
}

void TestSoak::chaos()
{
    const int seconds = soakSeconds();
    const int kPulls = qEnvironmentVariableIntValue("SOAK_PULLS") > 0
        ? qEnvironmentVariableIntValue("SOAK_PULLS") : 300;
    const int kSubscribers = qEnvironmentVariableIntValue("SOAK_SUBSCRIBERS") > 0
        ? qEnvironmentVariableIntValue("SOAK_SUBSCRIBERS") : 200;
    ClusterFixture cluster(0.05);
    QVERIFY2(cluster.start(), qPrintable(cluster.error()));
    KubeSim *sim = cluster.sim();
    RedisProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.error()));
    // Persistent, as the packaged Redis is: its restart keeps the history (a snapshot is
    // written when it is stopped and read when it starts).
    QVERIFY(redis.command(R"(CONFIG SET save "3600 1")").startsWith("+OK"));

    QTemporaryDir dir;
    const QStringList args{"--headless", "--listen", "127.0.0.1:0", "--kubeconfig",
                           cluster.kubeconfigPath(), "--data-dir", dir.filePath("data"),
                           "--redis", redis.url(), "--pull-backoff-grace", "1"};
    auto pullwatch = std::make_unique<PullwatchProcess>();
    QVERIFY2(pullwatch->start(args), qPrintable(pullwatch->error()));
    QTRY_COMPARE_WITH_TIMEOUT(m_http.get(pullwatch->baseUrl().resolved(QUrl("/readyz"))).status,
                              200, 20'000);

    // Faults on for the whole run.
    sim->setWatchCutInterval(3000);
    sim->setWatchLag(QStringLiteral("pods"), 300);
    sim->setLogDropEveryLines(500);

    std::vector<std::unique_ptr<Subscriber>> subscribers;
    for (int i = 0; i < kSubscribers; ++i) {
        subscribers.push_back(std::make_unique<Subscriber>());
        subscribers.back()->open(pullwatch->baseUrl());
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(subscribers.begin(), subscribers.end(),
                                         [](const auto &s) { return s->isConnected(); }),
                             20'000);

    // Log viewers: kViewers over kChatty endless chatty pulls, by job, through upstream drops.
    const int kChatty = 4;
    const int kViewers = qEnvironmentVariableIntValue("SOAK_VIEWERS") > 0
        ? qEnvironmentVariableIntValue("SOAK_VIEWERS") : 20;
    QStringList chattyIds;
    for (int i = 0; i < kChatty; ++i) {
        const HttpResult r = m_http.send(
            "POST", pullwatch->baseUrl().resolved(QUrl("/images/pull")),
            QStringLiteral(R"({"names":["soak/chatty-%1:1"]})").arg(i).toUtf8());
        countStatus(r.status);
        QCOMPARE(r.status, 200);
        chattyIds.append(QJsonDocument::fromJson(r.body).object()["data"].toObject()["job_ids"]
                             .toArray().first().toString());
    }
    std::vector<std::unique_ptr<WsTest::LogClient>> viewers; // every session, kept for the checks
    auto openViewers = [&] {
        for (int i = 0; i < kViewers; ++i) {
            QUrl url = pullwatch->baseUrl();
            url.setScheme(QStringLiteral("ws"));
            url.setPath(QStringLiteral("/ws/pod-logs"));
            url.setQuery(QStringLiteral("job=%1&container=push-to-harbor")
                             .arg(chattyIds[i % kChatty]));
            viewers.push_back(std::make_unique<WsTest::LogClient>(url));
        }
    };
    openViewers();

    QElapsedTimer clock;
    clock.start();
    const qint64 runMs = qint64(seconds) * 1000;
    QStringList ids;
    QStringList failedBeforeRestart;
    bool restarted = false, redisStopped = false, redisKilled = false;
    qint64 rssWarm = -1;
    int sent = 0;
    // Pulls are started evenly over the first 70 % of the run; the rest lets them end.
    while (clock.elapsed() < runMs) {
        const qint64 t = clock.elapsed();
        const int due = int(qMin<qint64>(kPulls, kPulls * t / (runMs * 7 / 10) + 1));
        while (sent < due) {
            const QString kind = sent % 10 == 3 ? QStringLiteral("team/notfound-soak")
                : sent % 10 == 7                ? QStringLiteral("team/pushfail-soak")
                                                : QStringLiteral("soak/app");
            const QByteArray body =
                QStringLiteral(R"({"names":["%1-%2:1"]})").arg(kind).arg(sent).toUtf8();
            const HttpResult r =
                m_http.send("POST", pullwatch->baseUrl().resolved(QUrl("/images/pull")), body);
            countStatus(r.status);
            if (r.status == 200) {
                for (const QJsonValue &id : QJsonDocument::fromJson(r.body)
                                                .object()["data"].toObject()["job_ids"].toArray())
                    ids.append(id.toString());
                ++sent;
            } else {
                break; // 503/429: try again on the next round
            }
        }
        if (!redisStopped && t > runMs / 5) {
            redisStopped = true;
            ::kill(pid_t(redis.processId()), SIGSTOP);
            QTest::qWait(3000);
            ::kill(pid_t(redis.processId()), SIGCONT);
            sim->failNextWatches(2);
        }
        if (!redisKilled && t > runMs * 2 / 5) {
            redisKilled = true;
            QVERIFY2(redis.restart(), qPrintable(redis.error()));
        }
        if (!restarted && t > runMs / 2) {
            restarted = true;
            for (const QJsonValue &v : get(pullwatch->baseUrl(), "/images/pull-failed?limit=500")["data"].toArray())
                failedBeforeRestart.append(v.toObject()["job_id"].toString());
            QCOMPARE(pullwatch->terminate(10'000), 0);
            pullwatch = std::make_unique<PullwatchProcess>();
            QVERIFY2(pullwatch->start(args), qPrintable(pullwatch->error()));
            QTRY_COMPARE_WITH_TIMEOUT(
                m_http.get(pullwatch->baseUrl().resolved(QUrl("/readyz"))).status, 200, 20'000);
            for (auto &s : subscribers)
                s->open(pullwatch->baseUrl());
            openViewers();
            QTRY_VERIFY_WITH_TIMEOUT(std::all_of(subscribers.begin(), subscribers.end(),
                                                 [](const auto &s) { return s->isConnected(); }),
                                     20'000);
            const QStringList after = [&] {
                QStringList out;
                for (const QJsonValue &v : get(pullwatch->baseUrl(), "/images/pull-failed?limit=500")["data"].toArray())
                    out.append(v.toObject()["job_id"].toString());
                return out;
            }();
            for (const QString &id : failedBeforeRestart)
                QVERIFY2(after.contains(id), qPrintable("failed history lost " + id));
        }
        if (restarted && rssWarm < 0 && t > runMs * 6 / 10)
            rssWarm = rssKiB(pullwatch->process().processId());
        QTest::qWait(200);
    }
    QCOMPARE(sent, kPulls);
    // The chatty pulls end only at their deadline: those still running are cancelled (a
    // finished pull cannot be, 409).
    for (const QString &id : std::as_const(chattyIds)) {
        const QString status =
            get(pullwatch->baseUrl(), "/images/pull/" + id)["data"].toObject()["status"].toString();
        if (status != QStringLiteral("completed") && status != QStringLiteral("failed")) {
            const HttpResult r = m_http.send(
                "DELETE", pullwatch->baseUrl().resolved(QUrl("/images/pull/" + id)), {});
            if (r.status == 409) { // it ended meanwhile: only then is 409 right
                const QString now = get(pullwatch->baseUrl(), "/images/pull/" + id)["data"]
                                        .toObject()["status"].toString();
                QVERIFY2(now == QStringLiteral("completed") || now == QStringLiteral("failed"),
                         qPrintable("409 for cancelling a running pull " + id));
            } else {
                countStatus(r.status);
            }
        }
        ids.append(id);
    }

    // Every pull ends, in exactly one final state.
    QMap<QString, QString> finalState;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        finalState.clear();
        for (const QString &id : std::as_const(ids)) {
            const QString s = get(pullwatch->baseUrl(), "/images/pull/" + id)["data"].toObject()["status"].toString();
            if (s == QStringLiteral("completed") || s == QStringLiteral("failed"))
                finalState[id] = s;
        }
        return finalState.size() == ids.size();
    }(), 120'000);
    const qint64 rssEnd = rssKiB(pullwatch->process().processId());
    QTest::qWait(1000); // the last status messages reach the subscribers

    // Every final pull the history keeps as failed, and only those.
    QStringList failedAtEnd;
    for (const QJsonValue &v : get(pullwatch->baseUrl(), "/images/pull-failed?limit=500")["data"].toArray())
        failedAtEnd.append(v.toObject()["job_id"].toString());
    int failed = 0, missingFromHistory = 0;
    for (auto it = finalState.cbegin(); it != finalState.cend(); ++it) {
        if (it.value() == QStringLiteral("failed")) {
            ++failed;
            missingFromHistory += failedAtEnd.contains(it.key()) ? 0 : 1;
        }
    }
    Subscriber::Violations total;
    int seenTwice = 0;
    for (const auto &s : subscribers) {
        total.backwards += s->violations().backwards;
        total.duplicates += s->violations().duplicates;
        total.afterFinal += s->violations().afterFinal;
        // Across the restart a subscriber may see a final state again in the snapshot of its
        // new session only for pulls that ended while it was away; more than twice is wrong.
        for (int n : s->finals())
            seenTwice += n > 2 ? 1 : 0;
    }
    qint64 lines = 0, missed = 0;
    int viewerErrors = 0, silentViewers = 0;
    for (const auto &v : viewers) {
        lines += v->received;
        missed += v->gaps;
        viewerErrors += int(v->errors.size());
        if (!v->errors.isEmpty() && viewerErrors == int(v->errors.size()))
            qInfo().noquote() << "viewer:" << v->errors.join(QStringLiteral("; "));
    }
    for (int i = 0; i < kViewers; ++i) // the sessions before the restart ran long enough
        silentViewers += viewers[size_t(i)]->received > 0 ? 0 : 1;
    int unexpected = 0;
    for (auto it = m_statuses.cbegin(); it != m_statuses.cend(); ++it)
        if (it.key() / 100 != 2 && it.key() != 503 && it.key() != 429)
            unexpected += it.value();
    QByteArray statuses;
    for (auto it = m_statuses.cbegin(); it != m_statuses.cend(); ++it)
        statuses += QByteArray::number(it.key()) + "x" + QByteArray::number(it.value()) + ' ';
    qInfo().noquote() << QStringLiteral(
        "soak %1 s: %2 pulls (%3 failed, %4 missing from the failed history), %5 subscribers; "
        "ordering violations: %6 backwards, %7 duplicates, %8 after the final state, %9 seen "
        "final more than twice; answers: %10(%11 unexpected); RSS after warm-up %12 KiB, at "
        "the end %13 KiB; watches opened %14; %15 viewer sessions read %16 lines, %17 "
        "reported missed in gap messages, %18 ordering errors, %19 silent")
        .arg(seconds).arg(ids.size()).arg(failed).arg(missingFromHistory).arg(kSubscribers)
        .arg(total.backwards).arg(total.duplicates).arg(total.afterFinal).arg(seenTwice)
        .arg(QString::fromLatin1(statuses)).arg(unexpected).arg(rssWarm).arg(rssEnd)
        .arg(sim->watchesOpened())
        .arg(viewers.size()).arg(lines).arg(missed).arg(viewerErrors).arg(silentViewers);

    QCOMPARE(missingFromHistory, 0);
    QCOMPARE(total.backwards, 0);
    QCOMPARE(total.duplicates, 0);
    QCOMPARE(total.afterFinal, 0);
    QCOMPARE(seenTwice, 0);
    QCOMPARE(unexpected, 0);
    QCOMPARE(viewerErrors, 0);
    QCOMPARE(silentViewers, 0);
    QVERIFY(rssWarm > 0 && rssEnd > 0);
    QVERIFY2(rssEnd <= rssWarm * 12 / 10, "server RSS grew by more than 20 % after warm-up");
    QCOMPARE(pullwatch->terminate(10'000), 0);
}

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
