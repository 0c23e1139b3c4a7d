#include "app/options.h"
#include "optionsparse.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pw::app;

// The config file (app/configfile.cpp) as Options::parse reads it: comments, quotes, the forms
// editors write, and an error naming the file, the line and the key.
class TestConfigFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void configFileErrors();
    void configComments_data();
    void configComments();
    void configFileForms_data();
    void configFileForms();

private:
    ParsedOptions parse(const QStringList &args) const;
    // Parses with a config file holding `text`; checks that it gives `context`, or, with
    // `errorPart` set, that it is refused with an error holding it.
    ParsedOptions checkConfig(const QByteArray &text, const QString &context, const QString &errorPart);
    QTemporaryDir m_dir;
    QString m_emptyConfig;
};

ParsedOptions TestConfigFile::parse(const QStringList &args) const
{
    return parseOptions(args, m_emptyConfig);
}

void TestConfigFile::initTestCase()
{
    m_emptyConfig = m_dir.filePath(QStringLiteral("empty.conf"));
    QVERIFY(writeEmptyFile(m_emptyConfig));
}

void TestConfigFile::configFileErrors()
{
    const QString file = m_dir.filePath(QStringLiteral("bad.conf"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("listen = 127.0.0.1:1\ncolour = blue\n");
    f.close();
    ParsedOptions p = parse({QStringLiteral("--config"), file});
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QVERIFY2(p.text.contains(QStringLiteral(":2: unknown key 'colour'")), qPrintable(p.text));

    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("listen = somewhere\n");
    f.close();
    p = parse({QStringLiteral("--config"), file});
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QVERIFY2(p.text.contains(QStringLiteral("listen: 'somewhere' is not ADDR:PORT")), qPrintable(p.text));

    p = parse({QStringLiteral("--config"), m_dir.filePath(QStringLiteral("missing.conf"))});
    QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
    QVERIFY2(p.text.contains(QStringLiteral("does not exist")), qPrintable(p.text));
}

void TestConfigFile::configComments_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("errorPart"); // set: the line must be refused with it
    QTest::newRow("plain") << QByteArray("context = ops") << "ops" << "";
    QTest::newRow("inline ; comment") << QByteArray("context = ops ; note") << "ops" << "";
    QTest::newRow("inline # comment") << QByteArray("context = ops   # note") << "ops" << "";
    QTest::newRow("tab before ;") << QByteArray("context = ops\t; note") << "ops" << "";
    QTest::newRow("comment after quotes") << QByteArray("context = \"ops\" ; note") << "ops" << "";
    QTest::newRow("whole-line ; comment") << QByteArray("; context = nope") << "default-ctx" << "";
    QTest::newRow("indented # comment") << QByteArray("   # context = nope") << "default-ctx" << "";
    QTest::newRow("quoted ; and # kept") << QByteArray("context = \"ops;blue #1\"  # note")
                                         << "ops;blue #1" << "";
    QTest::newRow("# inside a word kept") << QByteArray("context = ops#1") << "ops#1" << "";
    QTest::newRow("text after quotes") << QByteArray("context = \"ops\" x") << ""
                                       << "only a comment (# or ;) may follow";
    QTest::newRow("unclosed quote") << QByteArray("context = \"ops") << ""
                                    << "no closing";
}

void TestConfigFile::configComments()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, context);
    QFETCH(QString, errorPart);
    const ParsedOptions p = checkConfig("context = default-ctx\n" + line + "\n", context, errorPart);
    if (!errorPart.isEmpty())
        QVERIFY2(p.text.contains(QStringLiteral(":2: context: ")), qPrintable(p.text));
}

ParsedOptions TestConfigFile::checkConfig(const QByteArray &text, const QString &context,
                                       const QString &errorPart)
{
    const QString file = m_dir.filePath(QStringLiteral("check.conf"));
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(file));
    f.close();
    const ParsedOptions p = parse({QStringLiteral("--config"), file});
    if (errorPart.isEmpty()) {
        [&] {
            QVERIFY2(p.outcome == ParsedOptions::Outcome::Run, qPrintable(p.text));
            QCOMPARE(p.options.context, context);
        }();
    } else {
        [&] {
            QCOMPARE(p.outcome, ParsedOptions::Outcome::Error);
            QVERIFY2(p.text.contains(errorPart), qPrintable(p.text));
        }();
    }
    return p;
}

// Whole files as editors write them.
void TestConfigFile::configFileForms_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("errorPart"); // set: the file must be refused with it
    QTest::newRow("UTF-8 byte order mark") << QByteArray("\xEF\xBB\xBF" "context = ops\n") << "ops" << "";
    QTest::newRow("CRLF line ends") << QByteArray("# settings\r\ncontext = ops\r\n") << "ops" << "";
    QTest::newRow("no final newline") << QByteArray("context = ops") << "ops" << "";
    QTest::newRow("blank lines only") << QByteArray("\n\n  \n") << "" << "";
    QTest::newRow("later line wins") << QByteArray("context = a\ncontext = b\n") << "b" << "";
    QTest::newRow("over 1 MiB") << QByteArray("# " + QByteArray(1 << 20, 'x') + "\ncontext = ops\n")
                                << "" << "larger than 1 MiB";
}

void TestConfigFile::configFileForms()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, context);
    QFETCH(QString, errorPart);
    checkConfig(text, context, errorPart);
}

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_configfile.moc"
