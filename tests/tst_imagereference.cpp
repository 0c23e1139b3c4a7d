#include "core/imagereference.h"

#include <QTest>

class TestImageReference : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
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

QTEST_GUILESS_MAIN(TestImageReference)
#include "tst_imagereference.moc"
