#include "core/dnsname.h"

#include <QTest>

using namespace pw::core;

class TestDnsName : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void label_data();
    void label();
    void subdomain_data();
    void subdomain();
};

void TestDnsName::label_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("errorContains"); // empty: valid

    QTest::newRow("simple") << "default" << "";
    QTest::newRow("digits and dash") << "kube-system-2" << "";
    QTest::newRow("single character") << "a" << "";
    QTest::newRow("63 characters") << QString(63, u'a') << "";
    QTest::newRow("64 characters") << QString(64, u'a') << "64 characters long";
    QTest::newRow("10 kB") << QString(10'000, u'a') << "10000 characters long";
    QTest::newRow("empty") << "" << "is empty";
    QTest::newRow("uppercase") << "Default" << "uppercase";
    QTest::newRow("leading dash") << "-a" << "'-' at the start or end";
    QTest::newRow("trailing dash") << "a-" << "'-' at the start or end";
    QTest::newRow("dot") << "a.b" << "U+002e";
    QTest::newRow("dot dot slash") << "../x" << "U+002e";
    QTest::newRow("percent-encoded slash") << "a%2Fb" << "U+0025";
    QTest::newRow("slash") << "a/b" << "U+002f";
    QTest::newRow("unicode") << QStringLiteral("nämespace") << "U+00e4";
    QTest::newRow("newline") << "a\nb" << "U+000a";
    QTest::newRow("NUL") << QString::fromUtf16(u"a\u0000b", 3) << "U+0000";
    QTest::newRow("space") << "a b" << "U+0020";
    QTest::newRow("query injection") << "a?b=c" << "U+003f";
}

void TestDnsName::label()
{
    QFETCH(QString, name);
    QFETCH(QString, errorContains);
    const QString error = DnsName::labelError(name, u"namespace");
    if (errorContains.isEmpty()) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(DnsName::isLabel(name));
    } else {
        QVERIFY(!DnsName::isLabel(name));
        QVERIFY2(error.startsWith(QStringLiteral("namespace ")), qPrintable(error));
        QVERIFY2(error.contains(errorContains), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("DNS-1123 label")), qPrintable(error));
    }
}

void TestDnsName::subdomain_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("pod name") << "image-puller-abc12-x7k2q" << "";
    QTest::newRow("dotted") << "a.b.c" << "";
    QTest::newRow("253 characters") << QString(253, u'a') << "";
    QTest::newRow("254 characters") << QString(254, u'a') << "254 characters long";
    QTest::newRow("empty") << "" << "is empty";
    QTest::newRow("empty label") << "a..b" << "empty label";
    QTest::newRow("leading dot") << ".a" << "empty label";
    QTest::newRow("trailing dot") << "a." << "empty label";
    QTest::newRow("dot dot slash") << "../../etc" << "empty label";
    QTest::newRow("label with edge dash") << "a.-b" << "'-' at the start or end";
    QTest::newRow("uppercase") << "Pod" << "uppercase";
    QTest::newRow("percent-encoded slash") << "a%2Fb" << "U+0025";
    QTest::newRow("unicode") << QStringLiteral("pöd") << "U+00f6";
    QTest::newRow("newline") << "pod\n" << "U+000a";
    QTest::newRow("NUL") << QString::fromUtf16(u"pod\u0000", 4) << "U+0000";
}

void TestDnsName::subdomain()
{
    QFETCH(QString, name);
    QFETCH(QString, errorContains);
    const QString error = DnsName::subdomainError(name, u"pod");
    if (errorContains.isEmpty()) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(DnsName::isSubdomain(name));
    } else {
        QVERIFY(!DnsName::isSubdomain(name));
        QVERIFY2(error.startsWith(QStringLiteral("pod ")), qPrintable(error));
        QVERIFY2(error.contains(errorContains), qPrintable(error));
    }
}

QTEST_GUILESS_MAIN(TestDnsName)
#include "tst_dnsname.moc"
