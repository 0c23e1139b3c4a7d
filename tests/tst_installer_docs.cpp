#include "pullwatchprocess.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

// The documentation keeps up with the binary. Every option that `pullwatch --help`
// prints, with its environment variable and config key, is in README.md's configuration
// reference, in the manual page and in the packaged default configuration file.
class TestInstallerDocs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readmeReference_data();
    void readmeReference();
    void manualPage_data();
    void manualPage();
    void defaultConfigFile_data();
    void defaultConfigFile();
    void readmeSections();
    void simulatorManualPage();

private:
    static QString read(const QString &relativePath);
    void optionRows(bool withSpecials);

    struct Option {
        QString name;
        QString env; // empty for --help, --version
    };
    QList<Option> m_options;
    QHash<QString, QString> m_envOf; // option name -> PULLWATCH_*
};

QString TestInstallerDocs::read(const QString &relativePath) {
    QFile file(QStringLiteral(PULLWATCH_SOURCE_DIR "/") + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return QString::fromUtf8(file.readAll());
}

void TestInstallerDocs::initTestCase() {
    PullwatchProcess pw;
    QCOMPARE(pw.run({QStringLiteral("--help")}), 0);
    const QString help = QString::fromUtf8(pw.standardOutput());
    static const QRegularExpression optionLine(
        QStringLiteral("^  (?:-[a-z], )?--([a-z][a-z0-9-]*)"), QRegularExpression::MultilineOption);
    static const QRegularExpression envLine(
        QStringLiteral("^  (PULLWATCH_[A-Z_]+) +--([a-z0-9-]+)$"),
        QRegularExpression::MultilineOption);
    for (auto it = envLine.globalMatch(help); it.hasNext();) {
        const auto m = it.next();
        m_envOf.insert(m.captured(2), m.captured(1));
    }
    for (auto it = optionLine.globalMatch(help); it.hasNext();) {
        const QString name = it.next().captured(1);
        m_options.append({name, m_envOf.value(name)});
    }
    QVERIFY2(m_options.size() >= 20, qPrintable(help));
    QVERIFY(m_envOf.contains(QStringLiteral("listen")));
    QCOMPARE(m_envOf.value(QStringLiteral("config")), QStringLiteral("PULLWATCH_CONFIG"));
    QVERIFY2(help.contains(QStringLiteral("PULLWATCH_TOKEN ")), "PULLWATCH_TOKEN is not in --help");
}

void TestInstallerDocs::optionRows(bool withSpecials) {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("env");
    for (const Option &o : m_options) {
        const bool special = o.name == u"help" || o.name == u"version" || o.name == u"config";
        if (special && !withSpecials)
            continue;
        QTest::newRow(qPrintable(o.name)) << o.name << o.env;
    }
}

static QString configurationReference() {
    const QString readme = QString::fromUtf8([] {
        QFile f(QStringLiteral(PULLWATCH_SOURCE_DIR "/README.md"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }());
    const qsizetype start = readme.indexOf(QStringLiteral("\n## Configuration reference"));
    if (start < 0)
        return {};
    const qsizetype end = readme.indexOf(QStringLiteral("\n## "), start + 4);
    return readme.mid(start, end < 0 ? -1 : end - start);
}

void TestInstallerDocs::readmeReference_data() {
    optionRows(true);
}

// A table row names the option, its variable and its key: | `--name …` | `ENV` | `name` | …
void TestInstallerDocs::readmeReference() {
    QFETCH(QString, name);
    QFETCH(QString, env);
    const QString reference = configurationReference();
    QVERIFY2(!reference.isEmpty(), "README.md has no '## Configuration reference' section");
    bool found = false;
    for (const QString &line : reference.split(u'\n')) {
        if (!line.startsWith(u'|'))
            continue;
        const QStringList cells = line.split(u'|');
        if (cells.size() < 4)
            continue;
        const QString option = cells.at(1).trimmed();
        if (!option.contains(QStringLiteral("`--") + name + u'`') &&
            !option.contains(QStringLiteral("`--") + name + u' '))
            continue;
        found = true;
        if (!env.isEmpty())
            QVERIFY2(
                cells.at(2).contains(u'`' + env + u'`'),
                qPrintable(
                    QStringLiteral("the row of --%1 does not name %2: %3").arg(name, env, line)));
        const bool keyed = name != u"help" && name != u"version" && name != u"config";
        if (keyed)
            QVERIFY2(cells.at(3).trimmed() == u'`' + name + u'`',
                     qPrintable(QStringLiteral("the row of --%1 does not name the key `%1`: %2")
                                    .arg(name, line)));
    }
    QVERIFY2(
        found,
        qPrintable(
            QStringLiteral("README.md's configuration reference has no row for --%1").arg(name)));
}

void TestInstallerDocs::manualPage_data() {
    optionRows(true);
}

void TestInstallerDocs::manualPage() {
    QFETCH(QString, name);
    QFETCH(QString, env);
    const QString page = read(QStringLiteral("installer/pullwatch.1.in"));
    QString escaped = name;
    escaped.replace(u'-', QStringLiteral("\\-"));
    QVERIFY2(
        page.contains(QStringLiteral(".BI \\-\\-") + escaped + u' ') ||
            page.contains(QStringLiteral(".B \\-\\-") + escaped + u'\n') ||
            page.contains(QStringLiteral("\\-\\-") + escaped + u'\n'),
        qPrintable(QStringLiteral("installer/pullwatch.1.in does not describe --%1").arg(name)));
    if (!env.isEmpty())
        QVERIFY2(page.contains(env),
                 qPrintable(QStringLiteral("the manual page lacks %1").arg(env)));
}

void TestInstallerDocs::defaultConfigFile_data() {
    optionRows(false);
}

// The shipped /etc/pullwatch/pullwatch.conf shows every key, commented or set.
void TestInstallerDocs::defaultConfigFile() {
    QFETCH(QString, name);
    const QString conf = read(QStringLiteral("installer/pullwatch.conf"));
    const QRegularExpression line(
        QStringLiteral("^#?%1 =( |$)").arg(QRegularExpression::escape(name)),
        QRegularExpression::MultilineOption);
    QVERIFY2(
        line.match(conf).hasMatch(),
        qPrintable(QStringLiteral("installer/pullwatch.conf has no line '#%1 = …'").arg(name)));
}

void TestInstallerDocs::readmeSections() {
    const QString readme = read(QStringLiteral("README.md"));
    for (const char *section : {"## Install from the package", "## Run as a service",
                                "## Deploy in a cluster", "## Configuration reference"})
        QVERIFY2(readme.contains(QLatin1String(section)), section);
    QVERIFY(readme.contains(QStringLiteral("PULLWATCH_TOKEN")));
}

// pullwatch-kubesim(1) describes every option of `pullwatch-kubesim --help` (but Qt's own
// --help-all).
void TestInstallerDocs::simulatorManualPage() {
    QProcess sim;
    sim.start(QStringLiteral(KUBESIM_BINARY), {QStringLiteral("--help")});
    QVERIFY(sim.waitForFinished(10'000));
    QCOMPARE(sim.exitCode(), 0);
    const QString help = QString::fromUtf8(sim.readAllStandardOutput());
    const QString page = read(QStringLiteral("installer/pullwatch-kubesim.1.in"));
    static const QRegularExpression optionLine(
        QStringLiteral("^  (?:-[a-z], )?--([a-z][a-z0-9-]*)"), QRegularExpression::MultilineOption);
    int options = 0;
    for (auto it = optionLine.globalMatch(help); it.hasNext();) {
        QString name = it.next().captured(1);
        if (name == u"help-all")
            continue;
        ++options;
        name.replace(u'-', QStringLiteral("\\-"));
        QVERIFY2(
            page.contains(QStringLiteral("\\-\\-") + name),
            qPrintable(QStringLiteral("pullwatch-kubesim.1 does not describe --%1").arg(name)));
    }
    QVERIFY2(options >= 10, qPrintable(help));
}

QTEST_GUILESS_MAIN(TestInstallerDocs)
#include "tst_installer_docs.moc"
