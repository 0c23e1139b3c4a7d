#include "httpclient.h"
#include "pullwatchprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QFile>
#include <QTest>

#include "freeport.h"

// The real binaries: pullwatch-kubesim as the cluster, pullwatch stopped and started again
// on the same data directory. Failures are still listed; a pull that was running is still
// followed to its end.
class TestPullRestart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void historyAndActivePullsSurviveARestart();

private:
    QJsonObject get(const QUrl &base, const QString &path);
    QTemporaryDir m_dir;
    QProcess m_sim;
    QString m_kubeconfig;
    HttpClient m_http;
};

void TestPullRestart::initTestCase()
{
    m_kubeconfig = m_dir.filePath("kubeconfig");
    const quint16 port = FreePort::pick();
    m_sim.start(QStringLiteral(KUBESIM_BINARY),
                {"--listen", QStringLiteral("127.0.0.1:%1").arg(port), "--token", "restart-test",
                 "--write-kubeconfig", m_kubeconfig, "--time-scale", "0.05"});
    QVERIFY(m_sim.waitForStarted(5000));
    QTRY_VERIFY(m_sim.readAllStandardOutput().contains("kubesim listening on") || QFile::exists(m_kubeconfig));
    QTRY_VERIFY(QFile::exists(m_kubeconfig));
}

void TestPullRestart::cleanupTestCase()
{
    m_sim.terminate();
    m_sim.waitForFinished(5000);
}

QJsonObject TestPullRestart::get(const QUrl &base, const QString &path)
{
    return QJsonDocument::fromJson(m_http.get(base.resolved(QUrl(path))).body).object();
}

void TestPullRestart::historyAndActivePullsSurviveARestart()
{
    const QString data = m_dir.filePath("data");
    const QStringList args{"--headless", "--listen", "127.0.0.1:0", "--kubeconfig", m_kubeconfig,
                           "--data-dir", data, "--pull-backoff-grace", "1"};
    QString failedId, slowId;
    QByteArray failedBefore;
    {
        PullwatchProcess first;
        QVERIFY2(first.start(args), qPrintable(first.error()));
        QTRY_COMPARE(m_http.get(first.baseUrl().resolved(QUrl("/readyz"))).status, 200);
        const HttpResult r = m_http.send("POST", first.baseUrl().resolved(QUrl("/images/pull")),
                                         R"({"names":["team/pushfail-restart:1","team/notfound-restart:1","slow-restart:1"]})");
        QCOMPARE(r.status, 200);
        const QJsonArray ids = QJsonDocument::fromJson(r.body).object()["data"].toObject()["job_ids"].toArray();
        failedId = ids[0].toString();
        slowId = ids[2].toString();
        QTRY_COMPARE_WITH_TIMEOUT(get(first.baseUrl(), "/images/pull-failed")["data"].toArray().size(), 2, 30'000);
        QTRY_VERIFY(!get(first.baseUrl(), "/images/pull/" + failedId)["data"].toObject()["events"].toArray().isEmpty());
        failedBefore = QJsonDocument(get(first.baseUrl(), "/images/pull-failed")["data"].toArray()).toJson();
        QCOMPARE(get(first.baseUrl(), "/images/pull/" + slowId)["data"].toObject()["status"].toString(), "pulling");
        QCOMPARE(first.terminate(), 0);
    }
    PullwatchProcess second;
    QVERIFY2(second.start(args), qPrintable(second.error()));
    QTRY_COMPARE(m_http.get(second.baseUrl().resolved(QUrl("/readyz"))).status, 200);
    // The same failures, with their details.
    const QByteArray failedAfter = QJsonDocument(get(second.baseUrl(), "/images/pull-failed")["data"].toArray()).toJson();
    QCOMPARE(failedAfter, failedBefore);
    QVERIFY(!get(second.baseUrl(), "/images/pull/" + failedId)["data"].toObject()["events"].toArray().isEmpty());
    // The running pull was found again by its label and is followed to its end.
    QCOMPARE(get(second.baseUrl(), "/images/pull/" + slowId)["code"].toInt(), 200);
    QTRY_COMPARE_WITH_TIMEOUT(get(second.baseUrl(), "/images/pull/" + slowId)["data"].toObject()["status"].toString(),
                              "completed", 30'000);
    QCOMPARE(second.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestPullRestart)
#include "tst_pullrestart.moc"
