#include "core/envelope.h"
#include "core/pulljob.h"
#include "core/timeformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace pw::core;

class TestPullJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryShape();
    void statusMessageShape();
    void detailRoundTrip();
    void stagesAndProgress_data();
    void stagesAndProgress();
    void rfc3339_data();
    void rfc3339();
    void envelopes();

private:
    static PullJob sample();
};

PullJob TestPullJob::sample()
{
    PullJob job;
    job.id = QStringLiteral("image-puller-x7k2q");
    job.imageName = QStringLiteral("nginx");
    job.tag = QStringLiteral("1.27");
    job.source = QStringLiteral("docker.io/library/nginx:1.27");
    job.target = QStringLiteral("harbor.local/mirror/library/nginx:1.27");
    job.namespaceName = QStringLiteral("default");
    job.podName = QStringLiteral("image-puller-x7k2q-abcde");
    job.node = QStringLiteral("node-1");
    job.stage = PullStage::SourcePulled;
    job.status = PullStates::statusOf(job.stage);
    job.progress = PullStates::progressOf(job.stage);
    job.message = QStringLiteral("Source image pulled, pushing to Harbor...");
    job.createdAt = QDateTime(QDate(2026, 11, 27), QTime(9, 50, 15, 123), Qt::UTC);
    job.updatedAt = QDateTime(QDate(2026, 11, 27), QTime(9, 51, 0, 7), Qt::UTC);
    return job;
}

void TestPullJob::summaryShape()
{
    const QJsonObject o = sample().toSummaryJson();
    // The original service's fields, with their exact names and types.
    QCOMPARE(o.value(QStringLiteral("job_id")).toString(), QStringLiteral("image-puller-x7k2q"));
    QCOMPARE(o.value(QStringLiteral("image_name")).toString(), QStringLiteral("nginx"));
    QCOMPARE(o.value(QStringLiteral("image_tag")).toString(), QStringLiteral("1.27"));
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("pulling"));
    QVERIFY(o.value(QStringLiteral("progress")).isDouble());
    QCOMPARE(o.value(QStringLiteral("progress")).toInt(), 60);
    QCOMPARE(o.value(QStringLiteral("message")).toString(),
             QStringLiteral("Source image pulled, pushing to Harbor..."));
    QCOMPARE(o.value(QStringLiteral("updated_at")).toString(),
             QStringLiteral("2026-11-27T09:51:00.007000Z"));
    QCOMPARE(o.value(QStringLiteral("stage")).toString(), QStringLiteral("source-pulled"));
    QVERIFY(!o.contains(QStringLiteral("reason")));
}

void TestPullJob::statusMessageShape()
{
    PullJob job = sample();
    job.stage = PullStage::Failed;
    job.status = PullStatus::Failed;
    job.reason = FailureReason::ImageNotFound;
    const QJsonObject o = job.toStatusMessage();
    QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("status"));
    QCOMPARE(o.value(QStringLiteral("job_id")).toString(), job.id);
    QCOMPARE(o.value(QStringLiteral("image")).toString(), QStringLiteral("nginx:1.27"));
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QCOMPARE(o.value(QStringLiteral("progress")).toInt(), 60); // keeps the progress it reached
    QCOMPARE(o.value(QStringLiteral("reason")).toString(), QStringLiteral("ImageNotFound"));
    QCOMPARE(o.value(QStringLiteral("timestamp")).toString(),
             QStringLiteral("2026-11-27T09:51:00.007000Z"));
    // A client reading the message gets the same state back.
    const PullJob back = PullJob::fromJson(o);
    QCOMPARE(back.id, job.id);
    QCOMPARE(back.imageName, job.imageName);
    QCOMPARE(back.tag, job.tag);
    QCOMPARE(back.status, job.status);
    QCOMPARE(back.reason, job.reason);
    QCOMPARE(back.updatedAt, job.updatedAt);
}

void TestPullJob::detailRoundTrip()
{
    PullJob job = sample();
    job.status = PullStatus::Failed;
    job.stage = PullStage::Failed;
    job.reason = FailureReason::PushFailed;
    job.finishedAt = job.updatedAt;
    job.retriedBy = QStringLiteral("image-puller-zzzzz");
    job.events = {PullEvent{QStringLiteral("Warning"), QStringLiteral("BackOff"),
                            QStringLiteral("Back-off restarting failed container"), 3,
                            job.updatedAt}};
    job.sourceLogTail = QStringLiteral("pulled\n");
    job.pushLogTail = QStringLiteral("Error: PUT 401\n");
    const QByteArray bytes = QJsonDocument(job.toDetailJson()).toJson();
    const PullJob back = PullJob::fromJson(QJsonDocument::fromJson(bytes).object());
    QCOMPARE(back, job);
    const QJsonObject o = job.toDetailJson();
    QCOMPARE(o.value(QStringLiteral("events")).toArray().size(), 1);
    QCOMPARE(o.value(QStringLiteral("logs")).toObject().value(QStringLiteral("push-to-harbor")).toString(),
             QStringLiteral("Error: PUT 401\n"));
}

void TestPullJob::stagesAndProgress_data()
{
    QTest::addColumn<int>("stage");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("progress");
    QTest::addColumn<QString>("status");
    QTest::newRow("initializing") << int(PullStage::Initializing) << "initializing" << 5 << "pulling";
    QTest::newRow("waiting") << int(PullStage::Waiting) << "waiting" << 10 << "pulling";
    QTest::newRow("pulling-source") << int(PullStage::PullingSource) << "pulling-source" << 30
                                    << "pulling";
    QTest::newRow("source-pulled") << int(PullStage::SourcePulled) << "source-pulled" << 60
                                   << "pulling";
    QTest::newRow("pushing") << int(PullStage::Pushing) << "pushing" << 80 << "pulling";
    QTest::newRow("completed") << int(PullStage::Completed) << "completed" << 100 << "completed";
}

void TestPullJob::stagesAndProgress()
{
    QFETCH(int, stage);
    const auto s = PullStage(stage);
    QTEST(PullStates::toString(s), "name");
    QTEST(PullStates::progressOf(s), "progress");
    QTEST(PullStates::toString(PullStates::statusOf(s)), "status");
    PullStage parsed = PullStage::Failed;
    QFETCH(QString, name);
    QVERIFY(PullStates::fromString(name, &parsed));
    QCOMPARE(parsed, s);
}

void TestPullJob::rfc3339_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime base(QDate(2026, 11, 27), QTime(9, 50, 15), Qt::UTC);
    QTest::newRow("Z") << "2026-11-27T09:50:15Z" << base;
    QTest::newRow("millis") << "2026-11-27T09:50:15.123Z" << base.addMSecs(123);
    QTest::newRow("nanos") << "2026-11-27T09:50:15.123456789Z" << base.addMSecs(123);
    QTest::newRow("one digit") << "2026-11-27T09:50:15.5Z" << base.addMSecs(500);
    QTest::newRow("plus offset") << "2026-11-27T10:50:15+01:00" << base;
    QTest::newRow("minus offset") << "2026-11-27T04:50:15-05:00" << base;
    QTest::newRow("garbage") << "yesterday" << QDateTime();
    QTest::newRow("no zone") << "2026-11-27T09:50:15" << QDateTime();
    QTest::newRow("bad month") << "2026-13-27T09:50:15Z" << QDateTime();
    QTest::newRow("empty fraction") << "2026-11-27T09:50:15.Z" << QDateTime();
    QTest::newRow("trailing text") << "2026-11-27T09:50:15Zx" << QDateTime();
}

void TestPullJob::rfc3339()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QDateTime parsed = TimeFormat::parseRfc3339(text);
    QCOMPARE(parsed.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(parsed, expected);
        static const QRegularExpression shape(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"));
        QVERIFY(shape.match(TimeFormat::rfc3339(parsed)).hasMatch());
        QCOMPARE(TimeFormat::parseRfc3339(TimeFormat::rfc3339(parsed)), parsed);
    }
}

void TestPullJob::envelopes()
{
    const QByteArray ok = Envelope::success(QJsonArray{1, 2});
    QCOMPARE(ok, QByteArrayLiteral("{\"code\":200,\"data\":[1,2],\"message\":\"success\"}"));
    const QByteArray err = Envelope::error(400, QStringLiteral("limit must be 1..500"));
    QCOMPARE(err, QByteArrayLiteral("{\"code\":400,\"error\":\"limit must be 1..500\"}"));
    const auto parsed = Envelope::parse(err);
    QVERIFY(parsed.ok);
    QCOMPARE(parsed.code, 400);
    QCOMPARE(parsed.error, QStringLiteral("limit must be 1..500"));
    QVERIFY(!Envelope::parse("not json").ok);
    QVERIFY(!Envelope::parse("{\"data\":1}").ok);
}

QTEST_GUILESS_MAIN(TestPullJob)
#include "tst_pulljob.moc"
