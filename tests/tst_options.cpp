#include "app/logsetup.h"
#include "app/connectionswitch.h"
#include "app/kubecontexts.h"
#include "app/options.h"
#include "optionsparse.h"
#include "tempfile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace pw::app;
using namespace pw::pulls;
using namespace pw::ui;

// Configuration from file, environment and command line, in rising priority, and a clear
// error naming the option for every bad value (the config file's own forms: tst_configfile).
class TestOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void defaults();
    void helpListsEveryOption();
    void pullOptions();
    void notifyUrlsRepeat();
    void badValues_data();
    void badValues();
    void listenForms_data();
    void listenForms();
    void priority();
    void namedFilesMustExist_data();
    void namedFilesMustExist();
    void helpNamesTheProgram();
    void connectionSwitch_data();
    void connectionSwitch();
    void kubeconfigContexts();
    void allowedOrigins();
    void redaction_data();
    void redaction();

private:
    ParsedOptions parse(const QStringList &args, const QProcessEnvironment &env = {}) const;
    QTemporaryDir m_dir;
    QString m_emptyConfig;
};

ParsedOptions TestOptions::parse(const QStringList &args, const QProcessEnvironment &env) const
{
    return parseOptions(args, m_emptyConfig, env);
}

void TestOptions::initTestCase()
{
    m_emptyConfig = m_dir.filePath(QStringLiteral("empty.conf"));
    QVERIFY(writeEmptyFile(m_emptyConfig));
}

void TestOptions::defaults()
{
    const ParsedOptions p = parse({});
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Run);
    QCOMPARE(p.options.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(p.options.listenPort, quint16(8080));
    QVERIFY(!p.options.headless);
    QVERIFY(!p.options.demo);
    QCOMPARE(p.options.logLevel, QStringLiteral("info"));
    QCOMPARE(p.options.logFormat, QStringLiteral("text"));
    QVERIFY(!p.options.dataDir.isEmpty());
}

void TestOptions::pullOptions()
{
    ParsedOptions p = parse({});
    QCOMPARE(p.options.pull.targetRule, PullSettings::TargetRule::AsWritten);
    QVERIFY(p.options.pull.registryPolicy.allowed().isEmpty());
    QVERIFY(p.options.pull.registryPolicy.blockedNetworks().contains("192.168.0.0/16"));
    QProcessEnvironment env;
    env.insert("PULLWATCH_BLOCKED_NETWORKS", "10.96.0.0/12,10.244.0.0/16");
    p = parse({"--harbor-target-rule", "canonical", "--allowed-registries", "docker.io,*.nvcr.io"}, env);
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Run);
    QCOMPARE(p.options.pull.targetRule, PullSettings::TargetRule::Canonical);
    QCOMPARE(p.options.pull.registryPolicy.allowed(), QStringList({"docker.io", "*.nvcr.io"}));
    QCOMPARE(p.options.pull.registryPolicy.blockedNetworks(), QStringList({"10.96.0.0/12", "10.244.0.0/16"}));
    QVERIFY(!p.options.pull.harborInsecure);
    QVERIFY(p.options.pull.sourcePullSecret.isEmpty());
    env.insert("PULLWATCH_HARBOR_INSECURE", "yes");
    p = parse({"--source-pull-secret", "private-source"}, env);
    QVERIFY(p.options.pull.harborInsecure);
    QCOMPARE(p.options.pull.sourcePullSecret, "private-source");
}

void TestOptions::notifyUrlsRepeat()
{
    // Several on the command line; the environment separates them with spaces.
    ParsedOptions p = parse({"--notify-url", "https://a/hook", "--notify-url", "http://b:8080/hook",
                             "--notify-secret-file", "/etc/pullwatch/notify-key"});
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Run);
    QCOMPARE(p.options.notifyUrls, QStringList({"https://a/hook", "http://b:8080/hook"}));
    QCOMPARE(p.options.notifySecretFile, "/etc/pullwatch/notify-key");
    QProcessEnvironment env;
    env.insert("PULLWATCH_NOTIFY_URL", "https://env1/hook https://env2/hook");
    env.insert("PULLWATCH_NOTIFY_SECRET_FILE", "/k");
    p = parse({}, env);
    QCOMPARE(p.options.notifyUrls, QStringList({"https://env1/hook", "https://env2/hook"}));
    // A higher layer replaces the list of a lower one.
    p = parse({"--notify-url", "https://cli/hook"}, env);
    QCOMPARE(p.options.notifyUrls, QStringList({"https://cli/hook"}));
    // The config file may name several, one a line.
    const QString conf = m_dir.filePath("notify.conf");
    QFile f(conf);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("notify-url = https://f1/hook\nnotify-url = https://f2/hook\nnotify-secret-file = /k\n");
    f.close();
    QProcessEnvironment fileOnly;
    fileOnly.insert("PULLWATCH_CONFIG", conf);
    p = parse({}, fileOnly);
    QCOMPARE(p.options.notifyUrls, QStringList({"https://f1/hook", "https://f2/hook"}));
    fileOnly.insert("PULLWATCH_NOTIFY_URL", "https://env/hook");
    QCOMPARE(parse({}, fileOnly).options.notifyUrls, QStringList({"https://env/hook"}));
}

void TestOptions::helpListsEveryOption()
{
    const ParsedOptions p = parse({QStringLiteral("--help")});
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Help);
    for (const char *name : {"--listen", "--headless", "--demo", "--connect", "--token-file",
                             "--kubeconfig", "--context", "--namespace", "--redis", "--data-dir",
                             "--tls-cert", "--tls-key", "--log-level", "--log-format", "--config",
                             "--version", "PULLWATCH_LISTEN", "PULLWATCH_TOKEN",
                             "PULLWATCH_REDIS_URL"})
        QVERIFY2(p.text.contains(QLatin1StringView(name)), name);
    QCOMPARE(parse({QStringLiteral("--version")}).outcome, ParsedOptions::Outcome::Version);
}

void TestOptions::badValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("errorStart");
    QTest::newRow("listen nonsense") << QStringList{"--listen", "nonsense"} << "--listen:";
    QTest::newRow("listen port too big") << QStringList{"--listen", "127.0.0.1:70000"} << "--listen:";
    QTest::newRow("listen host name") << QStringList{"--listen", "example.com:80"} << "--listen:";
    QTest::newRow("listen no port") << QStringList{"--listen", "127.0.0.1"} << "--listen:";
    QTest::newRow("log level") << QStringList{"--log-level", "loud"} << "--log-level:";
    QTest::newRow("log format") << QStringList{"--log-format", "xml"} << "--log-format:";
    QTest::newRow("connect ftp") << QStringList{"--connect", "ftp://x"} << "--connect:";
    QTest::newRow("redis url") << QStringList{"--redis", "http://x"} << "--redis:";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "Unknown option 'frobnicate'";
    QTest::newRow("missing value") << QStringList{"--listen"} << "Missing value after '--listen'";
    QTest::newRow("stray argument") << QStringList{"extra"} << "unexpected argument 'extra'";
    QTest::newRow("connect with headless")
        << QStringList{"--connect", "http://127.0.0.1:1", "--headless"} << "--connect";
    QTest::newRow("harbor target rule") << QStringList{"--harbor-target-rule", "flat"}
                                        << "--harbor-target-rule: 'flat' is not one of as-written|canonical";
    QTest::newRow("allowed registry url") << QStringList{"--allowed-registries", "https://docker.io"}
                                          << "--allowed-registries: 'https://docker.io' is not a registry host";
    QTest::newRow("blocked network") << QStringList{"--blocked-networks", "10.0.0.0/40"}
                                     << "--blocked-networks: '10.0.0.0/40' is not a network";
    QTest::newRow("source pull secret") << QStringList{"--source-pull-secret", "Bad_Name"} << "--source-pull-secret: secret name";
    QTest::newRow("notify url scheme") << QStringList{"--notify-url", "ftp://x/hook", "--notify-secret-file", "k"}
                                       << "--notify-url: 'ftp://x/hook' is not an http:// or https:// URL";
    QTest::newRow("notify url with password") << QStringList{"--notify-url", "https://u:p@x/hook", "--notify-secret-file", "k"}
                                              << "--notify-url: a URL must not carry a user or password";
    QTest::newRow("notify without secret") << QStringList{"--notify-url", "https://platform/hook"}
                                           << "--notify-url needs --notify-secret-file";
    QTest::newRow("cert without key") << QStringList{"--tls-cert", "c.pem"} << "--tls-cert needs";
    QTest::newRow("origin with a path")
        << QStringList{"--allowed-origin", "https://a.example/app"} << "--allowed-origin: 'https://a.example/app' is not an origin";
    QTest::newRow("origin with a trailing slash")
        << QStringList{"--allowed-origin", "https://a.example/"} << "--allowed-origin:";
    QTest::newRow("origin wildcard") << QStringList{"--allowed-origin", "*"} << "--allowed-origin:";
    QTest::newRow("origin ftp") << QStringList{"--allowed-origin", "ftp://a.example"} << "--allowed-origin:";
    QTest::newRow("origin null") << QStringList{"--allowed-origin", "null"} << "--allowed-origin:";
    QTest::newRow("origin with user")
        << QStringList{"--allowed-origin", "https://u@a.example"} << "--allowed-origin:";
    QTest::newRow("cookie name with a separator")
        << QStringList{"--jwt-cookie", "a;b"} << "--jwt-cookie: 'a;b' is not a cookie name";
    QTest::newRow("issuer without a key")
        << QStringList{"--jwt-issuer", "platform"} << "--jwt-issuer needs --jwt-secret-file";
    QTest::newRow("audience without a key")
        << QStringList{"--jwt-audience", "pullwatch"} << "--jwt-audience needs --jwt-secret-file";
}

void TestOptions::badValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, errorStart);
    const ParsedOptions p = parse(args);
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QVERIFY2(p.text.startsWith(errorStart), qPrintable(p.text));
}

void TestOptions::listenForms_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << "127.0.0.1:8080" << "127.0.0.1" << 8080;
    QTest::newRow("port 0") << "127.0.0.1:0" << "127.0.0.1" << 0;
    QTest::newRow("any") << "0.0.0.0:9000" << "0.0.0.0" << 9000;
    QTest::newRow("ipv6") << "[::1]:8443" << "::1" << 8443;
    QTest::newRow("localhost") << "localhost:1234" << "127.0.0.1" << 1234;
}

void TestOptions::listenForms()
{
    QFETCH(QString, value);
    const ParsedOptions p = parse({QStringLiteral("--listen"), value});
    QVERIFY2(p.outcome == ParsedOptions::Outcome::Run, qPrintable(p.text));
    QTEST(p.options.listenAddress.toString(), "address");
    QTEST(int(p.options.listenPort), "port");
}

void TestOptions::priority()
{
    const QString file = m_dir.filePath(QStringLiteral("p.conf"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# comment\nlisten = 127.0.0.1:1111\nlog-level = debug\nnamespace = from-file\n"
            "headless = true\n");
    f.close();
    QProcessEnvironment env;
    env.insert(QStringLiteral("PULLWATCH_CONFIG"), file);
    ParsedOptions p = parse({}, env);
    QVERIFY2(p.outcome == ParsedOptions::Outcome::Run, qPrintable(p.text));
    QCOMPARE(p.options.listenPort, quint16(1111));
    QCOMPARE(p.options.logLevel, QStringLiteral("debug"));
    QVERIFY(p.options.headless);

    env.insert(QStringLiteral("PULLWATCH_LISTEN"), QStringLiteral("127.0.0.1:2222"));
    env.insert(QStringLiteral("PULLWATCH_NAMESPACE"), QStringLiteral("from-env"));
    p = parse({}, env);
    QCOMPARE(p.options.listenPort, quint16(2222));
    QCOMPARE(p.options.namespaceName, QStringLiteral("from-env"));
    QCOMPARE(p.options.logLevel, QStringLiteral("debug"));

    p = parse({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:3333")}, env);
    QCOMPARE(p.options.listenPort, quint16(3333));
    QCOMPARE(p.options.namespaceName, QStringLiteral("from-env"));

    env.insert(QStringLiteral("PULLWATCH_LOG_FORMAT"), QStringLiteral("yaml"));
    p = parse({}, env);
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QVERIFY2(p.text.startsWith(QStringLiteral("PULLWATCH_LOG_FORMAT:")), qPrintable(p.text));
}

// Normalised (RFC 6454: lower case, no default port), repeatable on the command line, a
// comma list in the environment and the file (several lines too); each source replaces the
// list of the one before.
void TestOptions::allowedOrigins()
{
    ParsedOptions p = parse({QStringLiteral("--allowed-origin"), QStringLiteral("HTTPS://Platform.Example.com:443"),
                             QStringLiteral("--allowed-origin"), QStringLiteral("http://10.0.0.5:3000")});
    QVERIFY2(p.outcome == ParsedOptions::Outcome::Run, qPrintable(p.text));
    QCOMPARE(p.options.allowedOrigins,
             (QStringList{QStringLiteral("https://platform.example.com"),
                          QStringLiteral("http://10.0.0.5:3000")}));

    const QString file = writeTempFile(
        m_dir, QStringLiteral("origins.conf"),
        "allowed-origin = https://a.example\nallowed-origin = https://b.example, http://[::1]:81\n");
    QVERIFY(!file.isEmpty());
    QProcessEnvironment env;
    env.insert(QStringLiteral("PULLWATCH_CONFIG"), file);
    p = parse({}, env);
    QVERIFY2(p.outcome == ParsedOptions::Outcome::Run, qPrintable(p.text));
    QCOMPARE(p.options.allowedOrigins,
             (QStringList{QStringLiteral("https://a.example"), QStringLiteral("https://b.example"),
                          QStringLiteral("http://[::1]:81")}));
    env.insert(QStringLiteral("PULLWATCH_ALLOWED_ORIGIN"), QStringLiteral("https://c.example"));
    QCOMPARE(parse({}, env).options.allowedOrigins, QStringList{QStringLiteral("https://c.example")});
    QCOMPARE(parse({QStringLiteral("--allowed-origin"), QStringLiteral("https://d.example")}, env)
                 .options.allowedOrigins,
             QStringList{QStringLiteral("https://d.example")});
    QVERIFY(parse({}).options.allowedOrigins.isEmpty());
    QCOMPARE(parse({}).options.jwtOperatorClaim, QStringLiteral("is_super_admin"));
    QCOMPARE(parse({}).options.jwtCookie, QStringLiteral("token"));
}

void TestOptions::namedFilesMustExist_data()
{
    QTest::addColumn<QString>("option");
    QTest::newRow("kubeconfig") << "kubeconfig";
    QTest::newRow("token-file") << "token-file";
    QTest::newRow("tls-cert") << "tls-cert";
    QTest::newRow("tls-key") << "tls-key";
}

void TestOptions::namedFilesMustExist()
{
    QFETCH(QString, option);
    const QString present = m_dir.filePath(QStringLiteral("present.pem"));
    QFile f(present);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("x\n");
    f.close();
    const QString missing = m_dir.filePath(QStringLiteral("missing-") + option);
    QStringList args{QStringLiteral("--") + option, missing};
    // TLS files come in pairs: the other one exists.
    if (option == u"tls-cert")
        args << QStringLiteral("--tls-key") << present;
    if (option == u"tls-key")
        args << QStringLiteral("--tls-cert") << present;
    ParsedOptions p = parse(args);
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QCOMPARE(p.text, QStringLiteral("--%1: %2 does not exist").arg(option, missing));

    args[1] = m_dir.path();
    p = parse(args);
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QVERIFY2(p.text.contains(QStringLiteral("is a directory")), qPrintable(p.text));

    args[1] = present;
    p = parse(args);
    QVERIFY2(p.outcome == ParsedOptions::Outcome::Run, qPrintable(p.text));
}

void TestOptions::helpNamesTheProgram()
{
    const ParsedOptions p = parse({QStringLiteral("--help")});
    QVERIFY2(p.text.startsWith(QStringLiteral("Usage: pullwatch [options]")), qPrintable(p.text));
    QVERIFY2(!p.text.contains(QStringLiteral("<executable_name>")), qPrintable(p.text));
}

void TestOptions::connectionSwitch_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("after");
    const QStringList listen{"--listen", "127.0.0.1:9000"};
    QTest::newRow("kubeconfig to demo")
        << QStringList{"pullwatch", "--kubeconfig", "/k", "--context", "c", "--listen", "127.0.0.1:9000"}
        << int(ConnectionChoice::Kind::Demo) << QStringList{"--listen", "127.0.0.1:9000", "--demo"};
    QTest::newRow("demo to kubeconfig")
        << QStringList{"pullwatch", "--demo", "--log-level", "debug"}
        << int(ConnectionChoice::Kind::Kubeconfig)
        << QStringList{"--log-level", "debug", "--kubeconfig", "/home/u/.kube/config", "--context", "prod"};
    QTest::newRow("= forms and a token file to remote")
        << QStringList{"pullwatch", "--connect=http://old:1", "--token-file=/t", "--log-format", "json"}
        << int(ConnectionChoice::Kind::Remote)
        << QStringList{"--log-format", "json", "--connect", "https://pw.example:8443"};
    QTest::newRow("nothing to drop") << QStringList{"pullwatch"} << int(ConnectionChoice::Kind::Demo)
                                     << QStringList{"--demo"};
}

void TestOptions::connectionSwitch()
{
    QFETCH(QStringList, before);
    QFETCH(int, kind);
    ConnectionChoice choice;
    choice.kind = ConnectionChoice::Kind(kind);
    choice.kubeconfig = QStringLiteral("/home/u/.kube/config");
    choice.context = QStringLiteral("prod");
    choice.url = QUrl(QStringLiteral("https://pw.example:8443"));
    choice.token = QStringLiteral("s3cret-token");
    QTEST(ConnectionSwitch::arguments(before, choice), "after");
    QVERIFY(!ConnectionSwitch::arguments(before, choice).join(u' ').contains(choice.token));
    // The next start's options parse (and the old backend's selection is gone).
    QProcessEnvironment env;
    env.insert(QStringLiteral("PULLWATCH_DEMO"), QStringLiteral("true"));
    env.insert(QStringLiteral("PULLWATCH_TOKEN"), QStringLiteral("old-token"));
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin"));
    const QProcessEnvironment next = ConnectionSwitch::environment(env, choice);
    QVERIFY(!next.contains(QStringLiteral("PULLWATCH_DEMO")));
    QCOMPARE(next.value(QStringLiteral("PATH")), QStringLiteral("/usr/bin"));
    if (choice.kind == ConnectionChoice::Kind::Remote)
        QCOMPARE(next.value(QStringLiteral("PULLWATCH_TOKEN")), choice.token);
    else
        QVERIFY(!next.contains(QStringLiteral("PULLWATCH_TOKEN")));
}

void TestOptions::kubeconfigContexts()
{
    const QString file = m_dir.filePath(QStringLiteral("kubeconfig"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("apiVersion: v1\nkind: Config\ncurrent-context: staging\n"
            "clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n"
            "users:\n- name: u\n  user:\n    token: t\n"
            "contexts:\n- name: staging\n  context:\n    cluster: c\n    user: u\n"
            "- name: prod\n  context:\n    cluster: c\n    user: u\n");
    f.close();
    QString current;
    QString error;
    QCOMPARE(KubeContexts::list(file, &current, &error),
             (QStringList{QStringLiteral("prod"), QStringLiteral("staging")}));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(current, QStringLiteral("staging"));
    QVERIFY(KubeContexts::list(m_dir.filePath(QStringLiteral("none")), &current, &error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("none")), qPrintable(error));
    QProcessEnvironment env;
    env.insert(QStringLiteral("KUBECONFIG"), m_dir.filePath(QStringLiteral("missing")) + u':' + file);
    QCOMPARE(KubeContexts::defaultFile(env, QStringLiteral("/home/u")), file);
    QCOMPARE(KubeContexts::defaultFile({}, QStringLiteral("/home/u")), QStringLiteral("/home/u/.kube/config"));
}

void TestOptions::redaction_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("secret");
    QTest::newRow("bearer") << "sending Authorization: Bearer abc.def-123" << "abc.def-123";
    QTest::newRow("url password") << "connecting to redis://:hunter2@127.0.0.1:6379" << "hunter2";
    QTest::newRow("token field") << "config {\"token\": \"s3cr3t\"}" << "s3cr3t";
    QTest::newRow("password=") << "password=pa55" << "pa55";
}

void TestOptions::redaction()
{
    QFETCH(QString, message);
    QFETCH(QString, secret);
    const QString out = LogSetup::redact(message);
    QVERIFY2(!out.contains(secret), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("[redacted]")), qPrintable(out));
}

QTEST_GUILESS_MAIN(TestOptions)
#include "tst_options.moc"
