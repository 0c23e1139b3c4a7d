#include "core/imagereference.h"
#include "core/registrypolicy.h"

#include <QTest>

using namespace pw::core;

class TestImageReference : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void hostAndPort_data();
    void hostAndPort();
    void registryPolicy_data();
    void registryPolicy();
    void registryPolicyLists_data();
    void registryPolicyLists();
};

void TestImageReference::valid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("normalised");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("familiar");
    QTest::addColumn<QString>("tagOrDigest");

    const QString digest = QStringLiteral("sha256:") + QString(64, u'a');
    QTest::newRow("official image") << "nginx" << "docker.io/library/nginx:latest" << "docker.io"
                                    << "library/nginx" << "nginx" << "latest";
    QTest::newRow("official with tag") << "nginx:1.27" << "docker.io/library/nginx:1.27"
                                       << "docker.io" << "library/nginx" << "nginx" << "1.27";
    QTest::newRow("user repository") << "a/b:1" << "docker.io/a/b:1" << "docker.io" << "a/b"
                                     << "a/b" << "1";
    QTest::newRow("registry with port is not a tag")
        << "host:5000/x/y" << "host:5000/x/y:latest" << "host:5000" << "x/y" << "host:5000/x/y"
        << "latest";
    QTest::newRow("registry with port and tag")
        << "host:5000/x/y:2.0" << "host:5000/x/y:2.0" << "host:5000" << "x/y"
        << "host:5000/x/y" << "2.0";
    QTest::newRow("nvcr") << "nvcr.io/nvidia/pytorch:24.05-py3"
                          << "nvcr.io/nvidia/pytorch:24.05-py3" << "nvcr.io" << "nvidia/pytorch"
                          << "nvcr.io/nvidia/pytorch" << "24.05-py3";
    QTest::newRow("localhost") << "localhost/app" << "localhost/app:latest" << "localhost" << "app"
                               << "localhost/app" << "latest";
    QTest::newRow("explicit docker.io library")
        << "docker.io/library/redis:7" << "docker.io/library/redis:7" << "docker.io"
        << "library/redis" << "redis" << "7";
    QTest::newRow("index.docker.io") << "index.docker.io/library/alpine"
                                     << "docker.io/library/alpine:latest" << "docker.io"
                                     << "library/alpine" << "alpine" << "latest";
    QTest::newRow("digest only") << QStringLiteral("nginx@") + digest << QStringLiteral("docker.io/library/nginx@") + digest
                                 << "docker.io" << "library/nginx" << "nginx" << digest;
    QTest::newRow("tag and digest") << QStringLiteral("nginx:1.27@") + digest
                                    << QStringLiteral("docker.io/library/nginx:1.27@") + digest << "docker.io"
                                    << "library/nginx" << "nginx" << "1.27";
    QTest::newRow("separators") << "gcr.io/my-proj/a_b.c__d-e:v1_2.3-x"
                                << "gcr.io/my-proj/a_b.c__d-e:v1_2.3-x" << "gcr.io"
                                << "my-proj/a_b.c__d-e" << "gcr.io/my-proj/a_b.c__d-e"
                                << "v1_2.3-x";
    QTest::newRow("ipv4 registry") << "10.0.0.1:5000/img" << "10.0.0.1:5000/img:latest"
                                   << "10.0.0.1:5000" << "img" << "10.0.0.1:5000/img" << "latest";
    QTest::newRow("ipv6 registry") << "[::1]:5000/img:1" << "[::1]:5000/img:1" << "[::1]:5000"
                                   << "img" << "[::1]:5000/img" << "1";
    QTest::newRow("uppercase tag") << "nginx:Latest" << "docker.io/library/nginx:Latest"
                                   << "docker.io" << "library/nginx" << "nginx" << "Latest";
    QTest::newRow("uppercase registry host") << "Registry/x" << "Registry/x:latest" << "Registry"
                                             << "x" << "Registry/x" << "latest";
    QTest::newRow("128 character tag") << QStringLiteral("a:") + QString(128, u't')
                                       << QStringLiteral("docker.io/library/a:") + QString(128, u't')
                                       << "docker.io" << "library/a" << "a" << QString(128, u't');
}

void TestImageReference::valid()
{
    QFETCH(QString, input);
    const auto ref = ImageReference::parse(input);
    QVERIFY2(ref.ok(), qPrintable(ref.error()));
    QTEST(ref->toString(), "normalised");
    QTEST(ref->domain(), "domain");
    QTEST(ref->path(), "path");
    QTEST(ref->familiarName(), "familiar");
    QTEST(ref->tagOrDigest(), "tagOrDigest");
    // Normalising is idempotent.
    const auto again = ImageReference::parse(ref->toString());
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(again->toString(), ref->toString());
}

void TestImageReference::invalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("10 kB") << QString(10'000, u'a') << "at most 1024";
    // The length counts what was typed, not the added docker.io/library/.
    QTest::newRow("long repository") << QString(300, u'a')
                                     << "repository name is 300 characters long; at most 255";
    QTest::newRow("long repository with tag") << QString(256, u'a') + QStringLiteral(":1")
                                              << "repository name is 256 characters long";
    QTest::newRow("fits typed, not normalised") << QString(250, u'a')
                                                << "250 characters long as typed, 268 with";
    QTest::newRow("dot dot slash") << "../etc/passwd" << "empty label";
    QTest::newRow("percent-encoded slash") << "a%2Fb" << "invalid '%'";
    QTest::newRow("unicode") << QStringLiteral("ngïnx") << "printable ASCII";
    QTest::newRow("newline") << "nginx\n:1" << "control character U+000a";
    QTest::newRow("NUL") << QString::fromUtf16(u"nginx\u0000", 6) << "control character U+0000";
    QTest::newRow("space") << "nginx 1.27" << "printable ASCII";
    QTest::newRow("uppercase repository") << "Nginx" << "lowercase";
    QTest::newRow("uppercase path") << "library/Nginx" << "lowercase";
    QTest::newRow("empty tag") << "nginx:" << "tag is empty";
    QTest::newRow("tag starting with dot") << "nginx:.1" << "must start";
    QTest::newRow("tag with slash after port") << "host:5000/x:a+b" << "invalid '+'";
    QTest::newRow("129 character tag") << QStringLiteral("a:") + QString(129, u't') << "at most 128";
    QTest::newRow("short digest") << "nginx@sha256:abc" << "64";
    QTest::newRow("digest wrong algorithm") << QStringLiteral("nginx@md5:") + QString(64, u'a') << "sha256";
    QTest::newRow("digest uppercase hex") << QStringLiteral("nginx@sha256:") + QString(64, u'A') << "lowercase hex";
    QTest::newRow("double slash") << "a//b" << "empty component";
    QTest::newRow("trailing slash") << "a/b/" << "empty component";
    QTest::newRow("leading slash") << "/a" << "empty component";
    QTest::newRow("only tag") << ":1.0" << "no repository";
    QTest::newRow("port out of range") << "host:99999/x" << "1 to 65535";
    QTest::newRow("empty port") << "host:/x" << "empty port";
    QTest::newRow("triple underscore") << "a___b" << "more than two '_'";
    QTest::newRow("dash at host edge") << "-host.io/x" << "must not start or end";
    QTest::newRow("shell injection") << "nginx;rm -rf /" << "printable ASCII";
    QTest::newRow("quote") << "nginx\"x" << "invalid '\"'";
}

void TestImageReference::invalid()
{
    QFETCH(QString, input);
    QFETCH(QString, errorContains);
    const auto ref = ImageReference::parse(input);
    QVERIFY2(!ref.ok(), qPrintable(QStringLiteral("accepted: ") + input.left(80)));
    QVERIFY2(ref.error().contains(errorContains),
             qPrintable(QStringLiteral("error '%1' lacks '%2'").arg(ref.error(), errorContains)));
}

void TestImageReference::hostAndPort_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("docker hub") << "nginx:1" << "docker.io" << 0;
    QTest::newRow("port") << "Registry.Example.com:5000/x:1" << "registry.example.com" << 5000;
    QTest::newRow("ipv6 port") << "[fe80::1]:5000/x" << "[fe80::1]" << 5000;
    QTest::newRow("ipv6") << "[2001:db8::1]/x" << "[2001:db8::1]" << 0;
}

void TestImageReference::hostAndPort()
{
    QFETCH(QString, input);
    const auto ref = ImageReference::parse(input);
    QVERIFY2(ref.ok(), qPrintable(ref.error()));
    QTEST(ref->host(), "host");
    QTEST(ref->port(), "port");
    QCOMPARE(ref->written(), input);
}

void TestImageReference::registryPolicy_data()
{
    QTest::addColumn<QString>("allowed");
    QTest::addColumn<QString>("blocked"); // "default" for the defaults
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("refused"); // empty when allowed, else part of the error

    const QString any;
    QTest::newRow("docker hub") << any << "default" << "nginx:1.27" << "";
    QTest::newRow("public host") << any << "default" << "nvcr.io/nvidia/pytorch:24.05-py3" << "";
    QTest::newRow("public address") << any << "default" << "203.0.113.7:5000/x:1" << "";
    QTest::newRow("loopback address") << any << "default" << "127.0.0.1:5000/x:1" << "is a loopback address";
    QTest::newRow("loopback /8") << any << "default" << "127.9.9.9/x:1" << "loopback";
    QTest::newRow("localhost") << any << "default" << "localhost:5000/x:1" << "is loopback";
    QTest::newRow("localhost subdomain") << any << "default" << "a.localhost/x:1" << "is loopback";
    QTest::newRow("short loopback") << any << "default" << "127.1/x:1" << "is a loopback address";
    QTest::newRow("hex loopback") << any << "default" << "0x7f.0.0.1/x:1" << "is a loopback address";
    QTest::newRow("numeric, not an address") << any << "default" << "1.2.3.4.5/x:1" << "not written in full";
    QTest::newRow("ipv6 loopback") << any << "default" << "[::1]:5000/x:1" << "loopback";
    QTest::newRow("mapped ipv6 loopback") << any << "default" << "[::ffff:7f00:1]/x:1" << "loopback";
    QTest::newRow("metadata service") << any << "default" << "169.254.169.254/latest:1" << "link-local";
    QTest::newRow("ipv6 link-local") << any << "default" << "[fe80::1]/x:1" << "link-local";
    QTest::newRow("unspecified") << any << "default" << "0.0.0.0:5000/x:1" << "unspecified";
    QTest::newRow("rfc1918 10") << any << "default" << "10.1.2.3/x:1" << "blocked network 10.0.0.0/8";
    QTest::newRow("rfc1918 172") << any << "default" << "172.20.0.1:5000/x:1" << "blocked network 172.16.0.0/12";
    QTest::newRow("rfc1918 192") << any << "default" << "192.168.110.1:30003/library/x:1" << "--allowed-registries to allow";
    QTest::newRow("ula") << any << "default" << "[fd00::5]/x:1" << "blocked network";
    QTest::newRow("private named exactly") << "192.168.110.1:30003" << "default" << "192.168.110.1:30003/library/x:1" << "";
    QTest::newRow("private named, other port") << "192.168.110.1:30003" << "default" << "192.168.110.1:5000/x:1" << "blocked network";
    QTest::newRow("loopback named still refused") << "127.0.0.1:5000" << "default" << "127.0.0.1:5000/x:1" << "always refused";
    QTest::newRow("cluster service range") << any << "10.96.0.0/12" << "10.96.0.10/x:1" << "blocked network 10.96.0.0/12";
    QTest::newRow("outside given ranges") << any << "10.96.0.0/12" << "192.168.1.1/x:1" << "";
    QTest::newRow("empty blocked keeps loopback") << any << "" << "127.0.0.1/x:1" << "loopback";
    QTest::newRow("allowed exact") << "docker.io,nvcr.io" << "default" << "nvcr.io/nvidia/pytorch:1" << "";
    QTest::newRow("allowed hub") << "docker.io" << "default" << "nginx" << "";
    QTest::newRow("not allowed") << "docker.io" << "default" << "evil.example.com/library/nginx:1.27"
                                 << "registry evil.example.com is not allowed; --allowed-registries allows docker.io";
    QTest::newRow("pattern subdomain") << "*.example.com" << "default" << "registry.example.com/x:1" << "";
    QTest::newRow("pattern not apex") << "*.example.com" << "default" << "example.com/x:1" << "not allowed";
    QTest::newRow("pattern not suffix trick") << "*.example.com" << "default" << "evilexample.com/x:1" << "not allowed";
    QTest::newRow("host matches any port") << "registry.example.com" << "default" << "registry.example.com:5000/x:1" << "";
    QTest::newRow("host:port only that port") << "registry.example.com:5000" << "default" << "registry.example.com:6000/x:1" << "not allowed";
    QTest::newRow("case-insensitive") << "Registry.Example.COM" << "default" << "registry.example.com/x:1" << "";
}

void TestImageReference::registryPolicy()
{
    QFETCH(QString, allowed);
    QFETCH(QString, blocked);
    QFETCH(QString, reference);
    QFETCH(QString, refused);
    const auto policy = RegistryPolicy::create(allowed, blocked == u"default" ? RegistryPolicy::defaultBlockedNetworks() : blocked);
    QVERIFY2(policy.ok(), qPrintable(policy.error()));
    const auto ref = ImageReference::parse(reference);
    QVERIFY2(ref.ok(), qPrintable(ref.error()));
    const QString error = policy->check(ref.value());
    if (refused.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(refused), qPrintable(QStringLiteral("'%1' lacks '%2'").arg(error, refused)));
    // The default-constructed policy is the default one.
    if (allowed.isEmpty() && blocked == u"default")
        QCOMPARE(RegistryPolicy().check(ref.value()), error);
}

void TestImageReference::registryPolicyLists_data()
{
    QTest::addColumn<QString>("allowed");
    QTest::addColumn<QString>("blocked");
    QTest::addColumn<QString>("error");
    QTest::newRow("spaces and commas") << " docker.io, *.example.com  nvcr.io " << "10.0.0.0/8 fd00::/8" << "";
    QTest::newRow("url is not a host") << "https://docker.io" << "" << "'https://docker.io' is not a registry host";
    QTest::newRow("path is not a host") << "docker.io/library" << "" << "is not a registry host";
    QTest::newRow("bare star") << "*" << "" << "is not a registry host";
    QTest::newRow("not a cidr") << "" << "10.0.0.0/33" << "'10.0.0.0/33' is not a network in CIDR notation";
    QTest::newRow("not an address") << "" << "example.com/8" << "not a network";
}

void TestImageReference::registryPolicyLists()
{
    QFETCH(QString, allowed);
    QFETCH(QString, blocked);
    QFETCH(QString, error);
    const auto policy = RegistryPolicy::create(allowed, blocked);
    if (error.isEmpty()) {
        QVERIFY2(policy.ok(), qPrintable(policy.error()));
        QCOMPARE(policy->allowed(), QStringList({"docker.io", "*.example.com", "nvcr.io"}));
        QCOMPARE(policy->blockedNetworks(), QStringList({"10.0.0.0/8", "fd00::/8"}));
        return;
    }
    QVERIFY(!policy.ok());
    QVERIFY2(policy.error().contains(error), qPrintable(policy.error()));
}

QTEST_GUILESS_MAIN(TestImageReference)
#include "tst_imagereference.moc"
