#include "httpclient.h"
#include "freeport.h"
#include "pullwatchprocess.h"

#include "app/connectionswitch.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QDir>
#include <QFile>
#include <QTest>

#include <csignal>

using namespace pw::app;
using namespace pw::ui;

// The real `pullwatch` binary as a user starts it: listening line, health, version, exit
// statuses, signals and configuration precedence.
class TestPullwatchProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headlessServesAndStopsOnSigterm();
    void sigintAlsoStopsCleanly();
    void noDisplayMeansHeadless();
    void badListenExitsTwo();
    void helpAndVersion();
    void environmentAndConfigFile();
    void jsonLogs();
    void portInUseExitsOne();
    void embeddedWindowUsesTheGeneratedToken();
    void startTwiceKeepsTheConfigByteForByte();
    void missingNamedFileExitsTwo_data();
    void missingNamedFileExitsTwo();
    void helpNamesPullwatch();
    void demoStartsWithEveryState();
    void connectionChoiceStartsPullwatchAgain();
};

void TestPullwatchProcess::headlessServesAndStopsOnSigterm()
{
    PullwatchProcess pw;
    QVERIFY2(pw.start({QStringLiteral("--headless"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0")}),
             qPrintable(pw.error()));
    QCOMPARE(pw.baseUrl().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(pw.baseUrl().port() > 0);
    QVERIFY(pw.standardOutput().contains("Pullwatch listening on http://127.0.0.1:"));

    HttpClient client;
    HttpResult r = client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArrayLiteral("{\"status\":\"ok\"}"));
    r = client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/api/version"))));
    QCOMPARE(r.status, 200);
    QVERIFY(QJsonDocument::fromJson(r.body).object().contains(QStringLiteral("qt")));
    r = client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/nope"))));
    QCOMPARE(r.status, 404);
    QVERIFY(r.body.startsWith("{\"code\":404,\"error\":"));

    QElapsedTimer timer;
    timer.start();
    QCOMPARE(pw.terminate(2000), 0);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    // The port is closed afterwards.
    r = client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))));
    QCOMPARE(r.status, 0);
}

void TestPullwatchProcess::sigintAlsoStopsCleanly()
{
    PullwatchProcess pw;
    QVERIFY2(pw.start({QStringLiteral("--headless"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0")}),
             qPrintable(pw.error()));
    ::kill(pid_t(pw.process().processId()), SIGINT);
    QVERIFY(pw.process().waitForFinished(2000));
    QCOMPARE(pw.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(pw.process().exitCode(), 0);
}

void TestPullwatchProcess::noDisplayMeansHeadless()
{
    PullwatchProcess pw;
    pw.setEnvironmentValue(QStringLiteral("DISPLAY"), QString());
    pw.setEnvironmentValue(QStringLiteral("WAYLAND_DISPLAY"), QString());
    pw.setEnvironmentValue(QStringLiteral("QT_QPA_PLATFORM"), QString());
    QVERIFY2(pw.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}),
             qPrintable(pw.error()));
    QVERIFY2(pw.standardError().contains("running headless"), pw.standardError().constData());
    HttpClient client;
    QCOMPARE(client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/healthz")))).status, 200);
    QCOMPARE(pw.terminate(), 0);
}

void TestPullwatchProcess::badListenExitsTwo()
{
    PullwatchProcess pw;
    QCOMPARE(pw.run({QStringLiteral("--listen"), QStringLiteral("nonsense")}), 2);
    QVERIFY2(pw.standardError().contains("--listen: 'nonsense' is not ADDR:PORT"),
             pw.standardError().constData());
    PullwatchProcess unknown;
    QCOMPARE(unknown.run({QStringLiteral("--bogus")}), 2);
    QVERIFY(unknown.standardError().contains("bogus"));
}

void TestPullwatchProcess::helpAndVersion()
{
    PullwatchProcess help;
    QCOMPARE(help.run({QStringLiteral("--help")}), 0);
    QVERIFY(help.standardOutput().contains("--headless"));
    QVERIFY(help.standardOutput().contains("--listen <ADDR:PORT>"));
    PullwatchProcess version;
    QCOMPARE(version.run({QStringLiteral("--version")}), 0);
    QVERIFY(version.standardOutput().startsWith("pullwatch " PULLWATCH_VERSION));
}

void TestPullwatchProcess::environmentAndConfigFile()
{
    PullwatchProcess pw;
    QDir().mkpath(pw.configHome() + QStringLiteral("/pullwatch"));
    QFile conf(pw.configHome() + QStringLiteral("/pullwatch/pullwatch.conf"));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("listen = 127.0.0.1:1\nheadless = true\n");
    conf.close();
    // The environment wins over the default config file.
    pw.setEnvironmentValue(QStringLiteral("PULLWATCH_LISTEN"), QStringLiteral("127.0.0.1:0"));
    QVERIFY2(pw.start({}), qPrintable(pw.error()));
    QVERIFY(pw.baseUrl().port() > 1);
    QCOMPARE(pw.terminate(), 0);

    PullwatchProcess bad;
    bad.setEnvironmentValue(QStringLiteral("PULLWATCH_LOG_LEVEL"), QStringLiteral("verbose"));
    QCOMPARE(bad.run({QStringLiteral("--headless")}), 2);
    QVERIFY(bad.standardError().contains("PULLWATCH_LOG_LEVEL: 'verbose' is not one of"));
}

void TestPullwatchProcess::jsonLogs()
{
    PullwatchProcess pw;
    QVERIFY2(pw.start({QStringLiteral("--headless"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--log-format"),
                       QStringLiteral("json")}),
             qPrintable(pw.error()));
    QCOMPARE(pw.terminate(), 0);
    const QList<QByteArray> lines = pw.standardError().trimmed().split('\n');
    QVERIFY(!lines.isEmpty());
    for (const QByteArray &line : lines) {
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QVERIFY(o.contains(QStringLiteral("time")));
        QVERIFY(o.contains(QStringLiteral("level")));
        QVERIFY(o.value(QStringLiteral("category")).toString().startsWith(QStringLiteral("pullwatch.")));
    }
}

void TestPullwatchProcess::portInUseExitsOne()
{
    PullwatchProcess first;
    QVERIFY2(first.start({QStringLiteral("--headless"), QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0")}),
             qPrintable(first.error()));
    PullwatchProcess second;
    const QString taken = QStringLiteral("127.0.0.1:%1").arg(first.baseUrl().port());
    QCOMPARE(second.run({QStringLiteral("--headless"), QStringLiteral("--listen"), taken}), 1);
    QVERIFY2(second.standardError().contains("--listen: cannot listen on"),
             second.standardError().constData());
    QCOMPARE(first.terminate(), 0);
}

void TestPullwatchProcess::embeddedWindowUsesTheGeneratedToken()
{
    // Desktop mode beyond loopback without a token: one is generated, and the embedded
    // window must authenticate with it (its health checks go to /api/version).
    PullwatchProcess pw;
    pw.setEnvironmentValue(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QVERIFY2(pw.start({QStringLiteral("--demo"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"),
                       QStringLiteral("--data-dir"), pw.dataDir()}),
             qPrintable(pw.error()));
    QFile tokenFile(pw.dataDir() + QStringLiteral("/api-token"));
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    const QByteArray token = tokenFile.readAll().trimmed();
    QVERIFY(!token.isEmpty());
    QVERIFY2(!pw.standardError().contains(token), "the token was logged");
    const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(pw.baseUrl().port()));
    HttpClient client;
    const QByteArray versionOk = "pullwatch_http_requests_total{route=\"/api/version\",method=\"GET\",status=\"200\"}";
    QTRY_VERIFY_WITH_TIMEOUT(
        client.get(base.resolved(QUrl(QStringLiteral("/metrics"))), {{"Authorization", "Bearer " + token}})
            .body.contains(versionOk),
        10'000);
    const HttpResult metrics =
        client.get(base.resolved(QUrl(QStringLiteral("/metrics"))), {{"Authorization", "Bearer " + token}});
    QVERIFY2(!metrics.body.contains("route=\"/api/version\",method=\"GET\",status=\"401\""),
             "the window was refused");
    QCOMPARE(pw.terminate(), 0);
}

void TestPullwatchProcess::startTwiceKeepsTheConfigByteForByte()
{
    // The user's hand-written config: comments of both kinds, an inline comment, odd spacing.
    const QByteArray config = "# Pullwatch, set up by hand\n"
                              "; the log level stays at info\n"
                              "log-level = info ; note\n"
                              "\n"
                              "   # indented comment\n"
                              "context = \"my;context\"   # quoted value keeps its ';'\n"
                              "log-format=text\n";
    PullwatchProcess window;
    QVERIFY(QDir().mkpath(window.configHome() + QStringLiteral("/pullwatch")));
    const QString configPath = window.configHome() + QStringLiteral("/pullwatch/pullwatch.conf");
    QFile file(configPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(config);
    file.close();
    auto configBytes = [&configPath] {
        QFile f(configPath);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
    };
    const QString stateFile = window.stateHome() + QStringLiteral("/pullwatch/window.ini");

    // 1. The window opens and closes (its state is saved when it quits).
    window.setEnvironmentValue(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QVERIFY2(window.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}),
             qPrintable(window.error()));
    QVERIFY2(!window.standardError().contains("running headless"), window.standardError().constData());
    QCOMPARE(window.terminate(), 0);
    QCOMPARE(configBytes(), config);
    QVERIFY2(QFile::exists(stateFile), qPrintable(stateFile));

    // 2. The window again, then 3. headless, with the same config, state and data.
    for (const bool headless : {false, true}) {
        PullwatchProcess again;
        again.setEnvironmentValue(QStringLiteral("XDG_CONFIG_HOME"), window.configHome());
        again.setEnvironmentValue(QStringLiteral("XDG_STATE_HOME"), window.stateHome());
        again.setEnvironmentValue(QStringLiteral("XDG_DATA_HOME"), window.dataDir());
        again.setEnvironmentValue(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        if (headless)
            args << QStringLiteral("--headless");
        QVERIFY2(again.start(args), qPrintable(again.error()));
        QCOMPARE(again.terminate(), 0);
        QCOMPARE(configBytes(), config);
    }
    // Nothing else was written next to the config.
    QCOMPARE(QDir(window.configHome() + QStringLiteral("/pullwatch")).entryList(QDir::Files),
             QStringList{QStringLiteral("pullwatch.conf")});
}

void TestPullwatchProcess::missingNamedFileExitsTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("option");
    QTest::newRow("kubeconfig") << QStringList{QStringLiteral("--kubeconfig")} << "--kubeconfig";
    QTest::newRow("token-file") << QStringList{QStringLiteral("--token-file")} << "--token-file";
    QTest::newRow("config") << QStringList{QStringLiteral("--config")} << "--config";
}

void TestPullwatchProcess::missingNamedFileExitsTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, option);
    PullwatchProcess pw;
    const QString missing = pw.dataDir() + QStringLiteral("/no-such-file");
    QCOMPARE(pw.run(QStringList{QStringLiteral("--headless"), QStringLiteral("--listen"),
                                QStringLiteral("127.0.0.1:0")}
                    + args + QStringList{missing}),
             2);
    const QString err = QString::fromLocal8Bit(pw.standardError());
    QVERIFY2(err.contains(option) && err.contains(missing) && err.contains(QStringLiteral("does not exist")),
             qPrintable(err));
    QVERIFY(!pw.standardOutput().contains("listening"));
}

void TestPullwatchProcess::helpNamesPullwatch()
{
    PullwatchProcess help;
    QCOMPARE(help.run({QStringLiteral("--help")}), 0);
    QVERIFY2(help.standardOutput().startsWith("Usage: pullwatch [options]"),
             help.standardOutput().constData());
}

void TestPullwatchProcess::demoStartsWithEveryState()
{
    PullwatchProcess pw;
    QVERIFY2(pw.start({QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--log-level"), QStringLiteral("warning")}),
             qPrintable(pw.error()));
    HttpClient client;
    auto list = [&](const char *path) {
        const HttpResult r = client.get(pw.baseUrl().resolved(QUrl(QString::fromLatin1(path))));
        return QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray();
    };
    // Pulls running at once…
    QTRY_VERIFY_WITH_TIMEOUT(list("/images/pull-active").size() >= 2, 20'000);
    // …and soon one completed and one failed for each reason the demo can show.
    auto reasons = [&] {
        QSet<QString> seen;
        for (const QJsonValue &v : list("/images/pull-history?status=all&limit=100")) {
            const QJsonObject o = v.toObject();
            seen.insert(o.value(QStringLiteral("status")).toString() == u"completed"
                            ? QStringLiteral("completed")
                            : o.value(QStringLiteral("reason")).toString());
        }
        return seen;
    };
    const QSet<QString> wanted{QStringLiteral("completed"), QStringLiteral("ImageNotFound"),
                               QStringLiteral("Unauthorized"), QStringLiteral("PushFailed"),
                               QStringLiteral("Unschedulable")};
    QTRY_VERIFY_WITH_TIMEOUT(reasons().contains(wanted), 60'000);
    // The outcome names are served for clients to show.
    const QJsonObject version = QJsonDocument::fromJson(
        client.get(pw.baseUrl().resolved(QUrl(QStringLiteral("/api/version")))).body).object();
    const QJsonArray outcomes =
        version.value(QStringLiteral("demo")).toObject().value(QStringLiteral("outcomes")).toArray();
    QStringList keywords;
    for (const QJsonValue &v : outcomes)
        keywords << v.toObject().value(QStringLiteral("keyword")).toString();
    QCOMPARE(keywords, (QStringList{"notfound", "unauthorized", "pushfail", "unschedulable", "slow", "chatty"}));
    QCOMPARE(pw.terminate(), 0);
}

void TestPullwatchProcess::connectionChoiceStartsPullwatchAgain()
{
    // What the window does after "Connect…" → the demo: start again with the choice, the
    // old cluster selection dropped, the other options kept.
    PullwatchProcess isolated; // its directories and environment
    const quint16 port = FreePort::pick();
    const QStringList before{QStringLiteral("pullwatch"), QStringLiteral("--headless"),
                             QStringLiteral("--kubeconfig"), isolated.dataDir() + QStringLiteral("/gone"),
                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)};
    ConnectionChoice demo;
    demo.kind = ConnectionChoice::Kind::Demo;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), isolated.configHome());
    env.insert(QStringLiteral("XDG_DATA_HOME"), isolated.dataDir());
    env.insert(QStringLiteral("XDG_STATE_HOME"), isolated.stateHome());
    env.insert(QStringLiteral("PULLWATCH_KUBECONFIG"), QStringLiteral("/nowhere")); // dropped too
    QString error;
    qint64 pid = 0;
    QVERIFY2(ConnectionSwitch::relaunch(PullwatchProcess::binary(), ConnectionSwitch::arguments(before, demo),
                                        ConnectionSwitch::environment(env, demo), &error, &pid),
             qPrintable(error));
    QVERIFY(pid > 0);
    HttpClient client;
    const QUrl version(QStringLiteral("http://127.0.0.1:%1/api/version").arg(port));
    QTRY_COMPARE_WITH_TIMEOUT(client.get(version).status, 200, 15'000);
    // It runs the demo now.
    QVERIFY(QJsonDocument::fromJson(client.get(version).body).object().contains(QStringLiteral("demo")));
    ::kill(pid_t(pid), SIGTERM);
    QTRY_COMPARE_WITH_TIMEOUT(client.get(version).status, 0, 10'000);
}

QTEST_GUILESS_MAIN(TestPullwatchProcess)
#include "tst_pullwatchprocess.moc"
