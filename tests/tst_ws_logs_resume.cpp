#include "wslogclient.h"
#include "wslogsfixture.h"
#include "wswait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "logs/logfanouts.h"
#include "logs/logquery.h"

using namespace pw::core;
using namespace pw::logs;
using namespace pw::server;

using namespace WsTest;

// /ws/pod-logs resumed: tailLines then resume= where a viewer stopped, a gap when the lines
// are gone, a stream that restarted or is another one (stream=) said to have restarted.
class TestWsLogsResume : public WsLogsFixture
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_f.reset(); }
    void tailResumeAndGap();
    void resumeAfterStreamRestarted();
    void resumeIntoAnotherStreamRestarts();
    void streamParameter_data();
    void streamParameter();
};

void TestWsLogsResume::tailResumeAndGap()
{
    std::unique_ptr<LogClient> keeper; // keeps the shared stream alive
    const QString query = startEndlessKept(&keeper);
    if (query.isEmpty())
        return;

    // tailLines: the last lines of the shared ring, then live.
    LogClient tail(logs(query + QStringLiteral("&tailLines=100")));
    QVERIFY(waitFor([&] { return tail.received >= 100; }, 10000));
    QVERIFY2(tail.errors.isEmpty(), qPrintable(tail.errors.join(u'\n'))); // counters match seq
    QVERIFY(tail.firstSeq >= keeper->firstSeq + 20'000 - 100);
    QVERIFY(tail.frames > 0);

    // resume inside the ring, with the id of this stream: continues exactly there.
    const QString streamId = keeper->last(QStringLiteral("stream"), QStringLiteral("stream"))
                                 .value(QStringLiteral("stream"))
                                 .toString();
    QVERIFY(!streamId.isEmpty());
    const qint64 at = keeper->nextSeq - 1000;
    LogClient resumed(logs(query + QStringLiteral("&resume=%1&stream=%2").arg(at).arg(streamId)));
    resumed.nextSeq = at;
    QVERIFY(waitFor([&] { return resumed.received >= 2000; }, 10000));
    QVERIFY2(resumed.errors.isEmpty(), qPrintable(resumed.errors.join(u'\n')));
    QCOMPARE(resumed.gaps, qint64(0));
    QCOMPARE(resumed.firstSeq, at);
    QVERIFY(resumed.last(QStringLiteral("gap")).isEmpty());

    // resume before the ring: a gap with the number of lines missed, then the ring.
    LogClient gapped(logs(query + QStringLiteral("&resume=10")));
    QVERIFY(waitFor([&] { return gapped.gaps > 0; }, 10000));
    QVERIFY(waitFor([&] { return gapped.received > 0; }, 10000));
    QCOMPARE(gapped.firstSeq, gapped.gaps + 10); // the gap says how many lines before the ring
    QVERIFY2(gapped.errors.isEmpty(), qPrintable(gapped.errors.join(u'\n')));
    QCOMPARE(m_f->sim->logStreamsOpened(), quint64(1));
}

// The bug: a viewer that resumed after the shared stream had ended (its last viewer left)
// got a new stream numbered from 0 and a gap that said so only in words; the desktop client
// then dropped every line below its old resume= as "already have". The gap now says
// "restarted" with the seq the lines continue from.
void TestWsLogsResume::resumeAfterStreamRestarted()
{
    qint64 resumeAt = -1;
    QString oldStream;
    const QString query = startChattyRestartAndLeave(&resumeAt, &oldStream);
    if (query.isEmpty())
        return;
    QVERIFY(resumeAt >= 3000);

    // Numbers of the new stream are not those of the old one: no counter check against seq.
    LogClient resumed(logs(query + QStringLiteral("&tailLines=100&resume=%1").arg(resumeAt)),
                      false);
    resumed.keepLines = true;
    QVERIFY(waitFor([&] { return resumed.received >= 500; }, 30000));
    QVERIFY2(resumed.errors.isEmpty(), qPrintable(resumed.errors.join(u'\n')));
    const QJsonObject gap = resumed.last(QStringLiteral("gap"));
    QVERIFY2(!gap.isEmpty(), "no gap message");
    // Fields for the client to act on; "missed" and "detail" stay for older clients.
    QCOMPARE(gap.value(QStringLiteral("restarted")).toBool(), true);
    QVERIFY(gap.contains(QStringLiteral("seq")));
    QCOMPARE(qint64(gap.value(QStringLiteral("seq")).toDouble()), resumed.firstSeq);
    QCOMPARE(gap.value(QStringLiteral("missed")).toInt(-1), 0);
    QVERIFY2(gap.value(QStringLiteral("detail")).toString().contains(
                 QStringLiteral("resume=%1 is not in this stream").arg(resumeAt)),
             qPrintable(gap.value(QStringLiteral("detail")).toString()));
    // The new stream starts again at 0 (its tail), below the old resume=.
    QCOMPARE(resumed.firstSeq, qint64(0));
    QVERIFY(resumed.firstSeq < resumeAt);
    QCOMPARE(m_f->server->ws()->logStreams()->streamsStarted(), quint64(2));
}

// The bug: the shared stream a viewer was on ended, another viewer started a new one that was
// soon past the first viewer's resume= number, and resume=N was then taken as a position in
// the new stream: lines were lost or repeated without a word. Each shared stream now has an
// id (in its "stream" messages); resume=N&stream=<id> of another stream is a restart.
void TestWsLogsResume::resumeIntoAnotherStreamRestarts()
{
    auto streamIdOf = [](const LogClient &c) {
        return c.last(QStringLiteral("stream"), QStringLiteral("stream"))
            .value(QStringLiteral("stream"))
            .toString();
    };
    qint64 resumeAt = -1;
    QString oldStream;
    const QString query = startChattyRestartAndLeave(&resumeAt, &oldStream);
    if (query.isEmpty())
        return;
    QVERIFY(resumeAt >= 3000);

    // Viewer B starts a new shared stream from the log's last 100 lines: its numbers are not
    // the old stream's, and it is soon past resumeAt.
    LogClient b(logs(query + QStringLiteral("&tailLines=100")), false);
    QVERIFY(waitFor([&] { return b.nextSeq > resumeAt + 1000; }, 30000));
    QVERIFY2(b.errors.isEmpty(), qPrintable(b.errors.join(u'\n')));
    const QString newStream = streamIdOf(b);
    QCOMPARE(m_f->server->ws()->logStreams()->streamsStarted(), quint64(2));
    QVERIFY2(newStream != oldStream || newStream.isEmpty(), qPrintable(newStream));

    // A comes back with its old numbers (and the id of the stream they belong to).
    QString resumeQuery = query + QStringLiteral("&resume=%1").arg(resumeAt);
    if (!oldStream.isEmpty())
        resumeQuery += QStringLiteral("&stream=") + oldStream;
    LogClient resumed(logs(resumeQuery), false);
    QVERIFY(waitFor([&] { return resumed.received >= 500; }, 30000));
    QVERIFY2(resumed.errors.isEmpty(), qPrintable(resumed.errors.join(u'\n')));
    const QJsonObject gap = resumed.last(QStringLiteral("gap"));
    QVERIFY2(!gap.isEmpty(), qPrintable(QStringLiteral("resume=%1 continued in another stream "
                                                       "at %2 without a restart")
                                            .arg(resumeAt)
                                            .arg(resumed.firstSeq)));
    QCOMPARE(gap.value(QStringLiteral("restarted")).toBool(), true);
    QCOMPARE(gap.value(QStringLiteral("missed")).toInt(-1), 0);
    QCOMPARE(qint64(gap.value(QStringLiteral("seq")).toDouble()), resumed.firstSeq);
    // The lines follow from the new stream's numbers, under its id; still one upstream.
    QCOMPARE(streamIdOf(resumed), newStream);
    QCOMPARE(m_f->server->ws()->logStreams()->streamsStarted(), quint64(2));
}

void TestWsLogsResume::streamParameter_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("server id") << QStringLiteral("00c0ffee1234abcd") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("65 characters") << QString(65, u'a') << false;
    QTest::newRow("punctuation") << QStringLiteral("abc&resume=1") << false;
    QTest::newRow("not ASCII") << QStringLiteral("abc\u00e9") << false;
}

// stream= is checked like every parameter: a bad one is a 400 naming it.
void TestWsLogsResume::streamParameter()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const Result<LogQuery> q = LogQuery::parse(
        {{QStringLiteral("pod"), QStringLiteral("a")},
         {QStringLiteral("resume"), QStringLiteral("5")},
         {QStringLiteral("stream"), value}},
        QStringLiteral("default"));
    QCOMPARE(q.ok(), valid);
    if (valid)
        QCOMPARE(q.value().stream, value);
    else
        QVERIFY2(q.error().startsWith(QStringLiteral("stream must be")), qPrintable(q.error()));
}

QTEST_GUILESS_MAIN(TestWsLogsResume)
#include "tst_ws_logs_resume.moc"
