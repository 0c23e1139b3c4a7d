#include <QDirIterator>
#include <QFile>
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
};

void TestLayering::includesPointDown_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QStringList>("allowed"); // project folders it may include from
    QTest::newRow("core") << "backend/core" << QStringList{};
    QTest::newRow("http") << "backend/http" << QStringList{};
    QTest::newRow("server") << "backend/server" << QStringList{"core", "http", "pulls", "cache", "kube"};
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
                                     "server", "ui", "app"};
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

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
