// /ws/pod-logs in merged mode, where a viewer's lines start and how they go on: sinceSeconds
// on a stream others already follow, previous=true, resume= for each source, and five chatty
// pods with no line lost or repeated. The real server on an in-process kubesim with its demo
// workloads.
#include "wslogclient.h"
#include "wslogsfixture.h"
#include "wsmergedclient.h"
#include "wswait.h"

#include "logs/logfanouts.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "kube/kubetimestamp.h"

#include <QDateTime>

using namespace pw::kube;

using namespace WsTest;

class TestWsLogsMergedResume : public WsLogsFixture
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void sinceSecondsOnASharedStream();
    void previousReadsTheCrashedRun();
    void fiveChattyPodsNoLineLostOrDuplicated();
    void resumePerSource();
};

// A viewer with sinceSeconds joining a stream others already follow starts at that time in
// the shared buffer; the other viewer's lines are older.
void TestWsLogsMergedResume::sinceSecondsOnASharedStream()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    const QString query = QStringLiteral("namespace=demo&pod=%1&container=worker&timestamps=true").arg(worker);
    LogClient all(logs(query), false);
    all.keepLines = true;
    QVERIFY(waitFor([&] { return all.received >= 5; }, 20000));
    const QDateTime joinedAt = QDateTime::currentDateTimeUtc();
    LogClient recent(logs(query + QStringLiteral("&sinceSeconds=2")), false);
    recent.keepLines = true;
    QVERIFY(waitFor([&] { return recent.received >= 2; }, 20000));
    QCOMPARE(m_f->server->ws()->logStreams()->streamCount(), 1); // shared
    QVERIFY2(recent.firstSeq > all.firstSeq, qPrintable(QStringLiteral("%1 %2").arg(recent.firstSeq).arg(all.firstSeq)));
    const KubeTimestamp first = KubeTimestamp::parse(recent.lines.first().section(u' ', 0, 0).toLatin1());
    QVERIFY(first.valid);
    // sinceSeconds is cut to whole seconds, as the API does.
    QVERIFY2(first.seconds >= joinedAt.toSecsSinceEpoch() - 3, qPrintable(recent.lines.first()));
    const KubeTimestamp oldest = KubeTimestamp::parse(all.lines.first().section(u' ', 0, 0).toLatin1());
    QVERIFY(oldest < first);
    QVERIFY2(recent.errors.isEmpty(), qPrintable(recent.errors.join(u'\n')));
}

// previous=true reads the last terminated run of a container to its end, for one container
// and merged.
void TestWsLogsMergedResume::previousReadsTheCrashedRun()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    int restarts = 0;
    QString flaky;
    QVERIFY(waitFor([&] { flaky = demoPod(QStringLiteral("flaky-importer-"), &restarts); return restarts >= 1; }, 20000));
    LogClient one(logs(QStringLiteral("namespace=demo&pod=%1&container=importer&previous=true").arg(flaky)), false);
    one.keepLines = true;
    QVERIFY(waitFor([&] { return one.closed; }, 15000));
    QCOMPARE(one.closeCode, 1000);
    QVERIFY(!one.lines.isEmpty());
    QVERIFY2(one.lines.last().endsWith(QStringLiteral("exiting with code 1")), qPrintable(one.lines.last()));

    MergedClient merged(logs(QStringLiteral("namespace=demo&pod=%1&container=*&previous=true").arg(flaky)));
    QVERIFY(waitFor([&] { return merged.closed; }, 15000));
    QCOMPARE(merged.closeCode, 1000);
    QVERIFY2(merged.errors.isEmpty(), qPrintable(merged.errors.join(u'\n')));
    const QStringList lines = merged.lines.value(flaky + QStringLiteral("/importer"));
    QVERIFY(!lines.isEmpty());
    QVERIFY2(lines.last().endsWith(QStringLiteral("exiting with code 1")), qPrintable(lines.last()));
}

// Five pods of a selector writing 20,000 numbered lines each at 2,000 lines/s, merged: every
// source's lines arrive complete, in order, none twice (the line's counter is its seq).
void TestWsLogsMergedResume::fiveChattyPodsNoLineLostOrDuplicated()
{
    startDemo(R"({"rules": [{"keyword": "chattymerge", "outcome": "chatty", "linesPerSecond": 2000, "lines": 20000}]})");
    if (QTest::currentTestFailed())
        return;
    MergedClient c(logs(QStringLiteral("selector=%1&container=push-to-harbor")
                            .arg(QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("app.kubernetes.io/managed-by=pullwatch"))))));
    QVERIFY(waitFor([&] { return !c.states(QStringLiteral("waiting")).isEmpty() || !c.states(QStringLiteral("streaming")).isEmpty(); }, 10000));
    for (int i = 0; i < 5; ++i)
        QVERIFY(!m_f->startPull(QStringLiteral("example.com/chattymerge%1:1").arg(i)).isEmpty());
    const auto complete = [&] {
        if (c.sources().size() != 5)
            return false;
        for (const QStringList &l : std::as_const(c.lines))
            if (l.size() < 20000)
                return false;
        return true;
    };
    QVERIFY2(waitFor(complete, 120000), qPrintable(sourcesText(c)));
    QVERIFY2(c.errors.isEmpty(), qPrintable(c.errors.join(u'\n')));
    for (auto it = c.lines.cbegin(); it != c.lines.cend(); ++it) {
        QCOMPARE(it.value().size(), 20000);
        for (qsizetype i = 0; i < it.value().size(); ++i) {
            const QString &line = it.value()[i];
            const qsizetype at = line.indexOf(QStringLiteral("seq="));
            const qsizetype end = line.indexOf(u' ', at);
            if (line.mid(at + 4, end < 0 ? -1 : end - at - 4).toLongLong() != i)
                QFAIL(qPrintable(QStringLiteral("%1: line %2 is %3").arg(it.key()).arg(i).arg(line)));
        }
    }
}

// A merged viewer reconnects with resume=POD/CONTAINER:STREAM:SEQ for each source: each goes
// on exactly where it stopped; a source whose stream is gone is told it restarted.
void TestWsLogsMergedResume::resumePerSource()
{
    startDemo();
    if (QTest::currentTestFailed())
        return;
    const QString worker = demoPod(QStringLiteral("batch-worker-"));
    const QString query = QStringLiteral("namespace=demo&pod=%1&container=*").arg(worker);
    // Another viewer keeps the shared streams alive while the first one reconnects.
    MergedClient keeper(logs(query));
    MergedClient first(logs(query));
    const QString w = worker + QStringLiteral("/worker");
    const QString s = worker + QStringLiteral("/log-shipper");
    QVERIFY(waitFor([&] { return first.lines.value(w).size() >= 3 && first.lines.value(s).size() >= 2; }, 20000));
    QString streams[2];
    for (const QJsonObject &m : first.states(QStringLiteral("streaming")))
        if (m.contains(QStringLiteral("stream")))
            streams[m.value(QStringLiteral("container")).toString() == QStringLiteral("worker") ? 0 : 1] = m.value(QStringLiteral("stream")).toString();
    const qint64 nextW = first.nextSeq.value(w);
    const qint64 nextS = first.nextSeq.value(s);
    const QStringList seenW = first.lines.value(w);
    first.socket.close();
    QVERIFY(waitFor([&] { return first.closed; }, 5000));
    // The worker resumes; the log-shipper names a stream that is not the live one.
    MergedClient again(logs(query + QStringLiteral("&resume=") + QString::fromLatin1(QUrl::toPercentEncoding(
                                QStringLiteral("%1:%2:%3,%4:%5:%6").arg(w, streams[0]).arg(nextW).arg(s, QStringLiteral("0000gone")).arg(nextS)))));
    QVERIFY2(waitFor([&] { return again.lines.value(w).size() >= 2; }, 20000), qPrintable(sourcesText(again)));
    QVERIFY2(again.errors.isEmpty(), qPrintable(again.errors.join(u'\n')));
    // The worker's first line after the reconnect is the one after the last seen.
    const QString counter = seenW.last().section(QStringLiteral("processed batch "), 1).section(u' ', 0, 0);
    QCOMPARE(again.lines.value(w).first().section(QStringLiteral("processed batch "), 1).section(u' ', 0, 0).toLongLong(),
             counter.toLongLong() + 1);
    bool restarted = false;
    for (const QJsonObject &m : std::as_const(again.others))
        if (m.value(QStringLiteral("type")).toString() == QStringLiteral("gap") && m.value(QStringLiteral("restarted")).toBool()) {
            QCOMPARE(m.value(QStringLiteral("container")).toString(), QStringLiteral("log-shipper"));
            restarted = true;
        }
    QVERIFY(restarted);
}

QTEST_GUILESS_MAIN(TestWsLogsMergedResume)
#include "tst_ws_logs_merged_resume.moc"
