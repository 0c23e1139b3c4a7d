#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QTest>

namespace {

struct Source {
    QString path;
    QString text; // null when it could not be read
};

// The files under `folder` of the source tree whose names match `patterns`, with their text.
QList<Source> sourcesUnder(const QString &folder,
                           const QStringList &patterns = {QStringLiteral("*.h"),
                                                          QStringLiteral("*.cpp")})
{
    QList<Source> sources;
    QDirIterator it(QStringLiteral(PULLWATCH_SOURCE_DIR "/") + folder, patterns, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        sources.append({path, f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString()});
    }
    return sources;
}

} // namespace

// docs/architecture.md §1: arrows only point down. Each library folder may include only the folders
// below it, and backend/ never includes a widget header.
class TestLayering : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void includesPointDown_data();
    void includesPointDown();
    void oneDefinitionPerClassName();
    void everythingInsideItsLibraryNamespace_data();
    void everythingInsideItsLibraryNamespace();
};

void TestLayering::includesPointDown_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QStringList>("allowed"); // project folders it may include from
    QTest::newRow("core") << "backend/core" << QStringList{};
    QTest::newRow("http") << "backend/http" << QStringList{};
    QTest::newRow("server") << "backend/server" << QStringList{"core", "http", "pulls", "cache", "logs", "kube"};
    // Pod logs and the pod catalogue: no transport (server, http) below the WebSocket API.
    QTest::newRow("logs") << "backend/logs" << QStringList{"core", "kube"};
    QTest::newRow("kube") << "backend/kube" << QStringList{"core"};
    // The simulator shares no code with the client it is tested against.
    QTest::newRow("kubesim") << "backend/kubesim" << QStringList{"core", "http"};
    QTest::newRow("pulls") << "backend/pulls" << QStringList{"core", "kube"};
    QTest::newRow("cache") << "backend/cache" << QStringList{"core"};
    QTest::newRow("ui") << "ui" << QStringList{"core"};
}

void TestLayering::includesPointDown()
{
    QFETCH(QString, folder);
    QFETCH(QStringList, allowed);
    static const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]"),
                                            QRegularExpression::MultilineOption);
    static const QRegularExpression widgets(
        QStringLiteral("^(QtWidgets/|QWidget|QMainWindow|QApplication|QDialog|QLabel|QtCharts)"));
    const QStringList projectFolders{"core", "http", "kube", "kubesim", "pulls", "cache",
                                     "logs", "server", "ui", "app"};
    const QList<Source> sources = sourcesUnder(folder);
    for (const auto &[path, text] : sources) {
        QVERIFY2(!text.isNull(), qPrintable(path));
        auto matches = include.globalMatch(text);
        while (matches.hasNext()) {
            const QString header = matches.next().captured(1);
            if (folder.startsWith(QStringLiteral("backend")))
                QVERIFY2(!widgets.match(header).hasMatch(),
                         qPrintable(path + QStringLiteral(" includes ") + header));
            const qsizetype slash = header.indexOf(u'/');
            if (slash < 0)
                continue;
            const QString top = header.left(slash);
            if (!projectFolders.contains(top))
                continue;
            QVERIFY2(allowed.contains(top) || folder.endsWith(top),
                     qPrintable(path + QStringLiteral(" includes ") + header
                                + QStringLiteral(", which is not below it")));
        }
    }
    QVERIFY2(!sources.isEmpty(), qPrintable(folder));
}

// Two libraries that each define a class of one name break the one-definition rule: the
// linker keeps one of their out-of-line members, and an object laid out by the other
// definition is written with the wrong size (it happened with two `Backoff`s). Every class
// or struct defined at file scope in a header of backend/, ui/ or app/ has one name.
void TestLayering::oneDefinitionPerClassName()
{
    static const QRegularExpression definition(
        QStringLiteral("^(?:class|struct)\\s+(\\w+)(?:\\s+final)?\\s*(?::[^;{]*)?\\{?\\s*$"),
        QRegularExpression::MultilineOption);
    QHash<QString, QString> definedIn;
    QStringList duplicates;
    for (const char *folder : {"backend", "ui", "app"}) {
        for (const auto &[path, text] : sourcesUnder(QLatin1String(folder), {QStringLiteral("*.h")})) {
            QVERIFY2(!text.isNull(), qPrintable(path));
            auto matches = definition.globalMatch(text);
            while (matches.hasNext()) {
                const QString name = matches.next().captured(1);
                if (definedIn.contains(name))
                    duplicates << name + QStringLiteral(": ") + definedIn.value(name)
                                      + QStringLiteral(" and ") + path;
                else
                    definedIn.insert(name, path);
            }
        }
    }
    QVERIFY2(definedIn.size() > 50, "too few class definitions found: is the pattern right?");
    QVERIFY2(duplicates.isEmpty(), qPrintable(duplicates.join(QStringLiteral("; "))));
}

void TestLayering::everythingInsideItsLibraryNamespace_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("ns");
    for (const char *lib : {"core", "http", "kube", "kubesim", "pulls", "cache", "logs", "server"})
        QTest::newRow(lib) << QStringLiteral("backend/") + QLatin1String(lib) << QString::fromLatin1(lib);
    QTest::newRow("ui") << QStringLiteral("ui") << QStringLiteral("ui");
    QTest::newRow("app") << QStringLiteral("app") << QStringLiteral("app");
}

// docs/architecture.md §1: each library's code lives in its own namespace, pw::<library>, so two
// libraries can never again share a class (or function) by accident. Outside that namespace's
// blocks a file may hold only preprocessor lines, forward declarations (of Qt's classes, or of
// another library's in its own namespace), Q_DECLARE_METATYPE lines and comments; inside, no
// Qt class is declared (it would be another class of that name). A `main` is global.
void TestLayering::everythingInsideItsLibraryNamespace()
{
    QFETCH(QString, folder);
    QFETCH(QString, ns);
    static const QRegularExpression comments(QStringLiteral("//[^\n]*|/\\*.*?\\*/"),
                                             QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression allowedOutside(QStringLiteral(
        "^\\s*(#.*|(class|struct) \\w+;|namespace pw::\\w+ \\{ (class|struct) \\w+; \\}"
        "|Q_DECLARE_METATYPE\\(.*\\))?\\s*$"));
    static const QRegularExpression qtClassInside(QStringLiteral("^\\s*(class|struct) Q[A-Z]\\w*;"),
                                                  QRegularExpression::MultilineOption);
    static const QRegularExpression main(QStringLiteral("^int main\\("),
                                         QRegularExpression::MultilineOption);
    const QString open = QStringLiteral("namespace pw::%1 {").arg(ns);
    const QString close = QStringLiteral("} // namespace pw::%1").arg(ns);
    int files = 0;
    for (const auto &[path, text] : sourcesUnder(folder)) {
        QVERIFY2(!text.isNull(), qPrintable(path));
        if (main.match(text).hasMatch())
            continue;
        ++files;
        // Every block of the namespace, in order; what lies between them is outside.
        QString outside;
        qsizetype at = 0;
        int blocks = 0;
        for (qsizetype begin; (begin = text.indexOf(open, at)) >= 0; ++blocks) {
            const qsizetype end = text.indexOf(close, begin);
            QVERIFY2(end > begin, qPrintable(path + QStringLiteral(": ") + open
                                             + QStringLiteral(" is not closed by ") + close));
            outside += text.mid(at, begin - at) + u'\n';
            const QString inside = text.mid(begin, end - begin);
            const QRegularExpressionMatch qt = qtClassInside.match(inside);
            QVERIFY2(!qt.hasMatch(), qPrintable(path + QStringLiteral(": inside ") + open
                                                 + QStringLiteral(": ") + qt.captured(0).trimmed()));
            at = end + close.size();
        }
        QVERIFY2(blocks > 0, qPrintable(path + QStringLiteral(": no ") + open));
        outside += text.mid(at);
        outside.remove(comments);
        for (const QString &line : outside.split(u'\n'))
            QVERIFY2(allowedOutside.match(line).hasMatch(),
                     qPrintable(path + QStringLiteral(": outside ") + open + QStringLiteral(": ") + line));
    }
    QVERIFY2(files > 0, qPrintable(folder));
}

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
