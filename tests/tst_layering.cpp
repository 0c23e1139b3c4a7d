#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QTest>

// docs/architecture.md §1: arrows only point down. Each library folder may include only the folders
// below it, and backend/ never includes a widget header.
class TestLayering : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void includesPointDown_data();
    void includesPointDown();
    void oneDefinitionPerClassName();
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
    const QString root = QStringLiteral(PULLWATCH_SOURCE_DIR "/") + folder;
    QDirIterator it(root, {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                    QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        ++files;
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
    QVERIFY2(files > 0, qPrintable(root));
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
        QDirIterator it(QStringLiteral(PULLWATCH_SOURCE_DIR "/") + QLatin1String(folder),
                        {QStringLiteral("*.h")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            auto matches = definition.globalMatch(QString::fromUtf8(f.readAll()));
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

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
