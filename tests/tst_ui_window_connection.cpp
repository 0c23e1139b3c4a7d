// The desktop window against the real backend (a `pullwatch --headless --demo` process on a
// loopback port, kubesim inside), driven through the widgets on the offscreen platform:
// tokens and roles, an unreachable or throttling backend,
// --connect mode, a backend without a cluster, the connection dialog and the keychain.
#include "pullwatchprocess.h"
#include "uiwindowfixture.h"
#include "freeport.h"
#include "httpclient.h"
#include "tempfile.h"
#include "testjwt.h"

#include "ui/activepullsmodel.h"
#include "ui/activepullsview.h"
#include "ui/apiclient.h"
#include "ui/connectionbanner.h"
#include "ui/connectiondialog.h"
#include "ui/failedpullsmodel.h"
#include "ui/failedpullsview.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/logmodel.h"
#include "ui/logselector.h"
#include "ui/catalogfeed.h"
#include "ui/logspage.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/namelistmodel.h"
#include "ui/pullactions.h"
#include "ui/pulldialog.h"
#include "ui/statusindicators.h"
#include "ui/tokenkeychain.h"
#include "ui/traynotifier.h"
#include "ui/windowstate.h"

#include <QClipboard>
#include <QComboBox>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QTextBlock>
#include <QTextLayout>
#include <QLabel>
#include <QTableWidget>
#include <QGuiApplication>
#include <QMenu>
#include <QInputDialog>
#include <QLineEdit>
#include <QAction>
#include <QStatusBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QListView>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace pw::core;
using namespace pw::ui;

class TestUiWindowConnection : public UiWindowFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startBackendAndWindow(); }
    void cleanupTestCase() { stopBackendAndWindow(); }
    void tokenSentAsBearer();
    void viewerJwtHidesPullCancelAndRetry();
    void bannerWhileUnreachableThenReconnects();
    void connectModeProcess();
    void throttledSaysWhen();
    void noClusterIsARedBanner();
    void connectionDialogChoices();
    void tokenKeptOnlyInTheKeychain();
};

void TestUiWindowConnection::tokenSentAsBearer() {
    QTemporaryDir dir;
    PullwatchProcess secured;
    const QString tokenFile =
        startSecured(secured, dir, "ui-test-token-0123456789abcdef", {"--demo"});
    QVERIFY2(!tokenFile.isEmpty(), qPrintable(secured.error()));
    MainWindow withToken(secured.baseUrl(), QStringLiteral("ui-test-token-0123456789abcdef"));
    QTRY_COMPARE_WITH_TIMEOUT(withToken.client()->state(), ApiClient::State::Connected, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(withToken.client()->liveUpdates(), 10'000); // the WebSocket too
    QSignalSpy failed(withToken.client(), &ApiClient::failedPullsReceived);
    withToken.client()->refreshFailed();
    QVERIFY(failed.wait(10'000));

    // Without a token: refused once, not retried, asked for the token; the right one connects.
    auto versionRefusals = [&secured] {
        HttpClient http;
        QUrl url = secured.baseUrl();
        url.setPath(QStringLiteral("/metrics"));
        const QByteArray body =
            http.get(url, {{"Authorization", "Bearer ui-test-token-0123456789abcdef"}}).body;
        for (const QByteArray &line : body.split('\n'))
            if (line.startsWith("pullwatch_auth_refused_total{reason=\"unauthenticated\"}"))
                return line.mid(line.lastIndexOf(' ') + 1).toInt();
        return 0;
    };
    MainWindow without(secured.baseUrl());
    without.show();
    QTRY_COMPARE_WITH_TIMEOUT(without.client()->state(), ApiClient::State::Unauthorized, 10'000);
    QCOMPARE(without.banner()->problem(), ConnectionBanner::Problem::Unauthorized);
    QVERIFY2(without.banner()->text().contains(QStringLiteral("401")),
             qPrintable(without.banner()->text()));
    QVERIFY2(without.indicators()->text().contains(QStringLiteral("token refused")),
             qPrintable(without.indicators()->text()));
    QVERIFY(!without.indicators()->text().contains(QStringLiteral("backend up")));
    auto *prompt = without.findChild<QInputDialog *>(QStringLiteral("tokenDialog"));
    QVERIFY(prompt);
    QTRY_VERIFY(prompt->isVisible());
    QCOMPARE(prompt->textEchoMode(), QLineEdit::Password);
    // The window waits for the user: no retries pile up into the login throttle (429 after five).
    // A negative can only be seen by waiting; the old client retried within 0.5, 1 and 2 s.
    QTest::qWait(4000);
    QCOMPARE(versionRefusals(), 1);
    QCOMPARE(without.client()->state(), ApiClient::State::Unauthorized);
    QSignalSpy entered(&without, &MainWindow::tokenEntered);
    prompt->setTextValue(QStringLiteral("ui-test-token-0123456789abcdef"));
    prompt->accept();
    QTRY_COMPARE_WITH_TIMEOUT(without.client()->state(), ApiClient::State::Connected, 10'000);
    QCOMPARE(entered.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(without.client()->liveUpdates(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(without.banner()->isHidden(), 10'000);

    // `pullwatch --connect URL --token-file F`: main() reads the file and the window uses it.
    auto wsClients = [&secured] {
        HttpClient http;
        QUrl url = secured.baseUrl();
        url.setPath(QStringLiteral("/metrics"));
        int n = 0;
        const QByteArray body =
            http.get(url, {{"Authorization", "Bearer ui-test-token-0123456789abcdef"}}).body;
        for (const QByteArray &line : body.split('\n'))
            if (line.startsWith("pullwatch_ws_connections{"))
                n += line.mid(line.lastIndexOf(' ') + 1).toInt();
        return n;
    };
    const int before = wsClients();
    QProcess window;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("PULLWATCH_TOKEN"));
    env.insert(QStringLiteral("HOME"), dir.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
    window.setProcessEnvironment(env);
    window.start(PullwatchProcess::binary(), {"--connect", secured.baseUrl().toString(),
                                              "--token-file", tokenFile, "--log-level", "warning"});
    QVERIFY(window.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(wsClients() > before, 15'000);
    window.terminate();
    QVERIFY(window.waitForFinished(5000));
    secured.terminate();
}

void TestUiWindowConnection::bannerWhileUnreachableThenReconnects() {
    const quint16 port = FreePort::pick();
    const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(port));
    MainWindow window(url);
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Unreachable, 10'000);
    QVERIFY(window.banner()->isVisible());
    QVERIFY(window.banner()->text().contains(url.toString()));
    // The backend appears on that port: the window finds it by itself.
    PullwatchProcess late;
    QVERIFY2(late.start({"--headless", "--demo", "--listen",
                         QStringLiteral("127.0.0.1:%1").arg(port), "--log-level", "warning"}),
             qPrintable(late.error()));
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Connected, 20'000);
    QVERIFY(window.banner()->isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(window.client()->liveUpdates(), 10'000); // the feed reconnects too
    late.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Unreachable, 20'000);
    QVERIFY(window.banner()->isVisible());
    QTRY_VERIFY(!window.client()->liveUpdates());
}

void TestUiWindowConnection::connectModeProcess() {
    // `pullwatch --connect URL` opens the window on a separately started backend: the
    // backend sees its WebSocket feed connect.
    auto wsClients = [this] {
        HttpClient http;
        QUrl url = m_backend.baseUrl();
        url.setPath(QStringLiteral("/metrics"));
        int n = 0;
        for (const QByteArray &line : http.get(url).body.split('\n'))
            if (line.startsWith("pullwatch_ws_connections{"))
                n += line.mid(line.lastIndexOf(' ') + 1).toInt();
        return n;
    };
    const int before = wsClients();
    QProcess window;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QTemporaryDir home;
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    window.setProcessEnvironment(env);
    window.start(PullwatchProcess::binary(),
                 {"--connect", m_backend.baseUrl().toString(), "--log-level", "warning"});
    QVERIFY(window.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(wsClients() > before, 15'000);
    QCOMPARE(window.state(), QProcess::Running);
    window.terminate();
    QVERIFY(window.waitForFinished(5000));
}

void TestUiWindowConnection::throttledSaysWhen() {
    QTemporaryDir dir;
    PullwatchProcess secured;
    QVERIFY2(!startSecured(secured, dir, "right-token-0123456789abcdef").isEmpty(),
             qPrintable(secured.error()));
    // Someone (not the window) tried wrong tokens until the server stopped listening to us.
    HttpClient http;
    QUrl version = secured.baseUrl();
    version.setPath(QStringLiteral("/api/version"));
    int status = 0;
    for (int i = 0; i < 10 && status != 429; ++i)
        status = http.get(version, {{"Authorization", "Bearer wrong-token"}}).status;
    QCOMPARE(status, 429);
    // A right token is never throttled (docs/architecture.md §6); another wrong one is told when.
    MainWindow window(secured.baseUrl(), QStringLiteral("still-the-wrong-token"));
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), ApiClient::State::Throttled, 10'000);
    QCOMPARE(window.banner()->problem(), ConnectionBanner::Problem::Throttled);
    QVERIFY2(window.banner()->text().contains(QRegularExpression(QStringLiteral("in \\d+ s"))),
             qPrintable(window.banner()->text()));
    QVERIFY(window.client()->retryAt() > QDateTime::currentDateTime());
    QVERIFY2(!window.indicators()->text().contains(QStringLiteral("backend up")),
             qPrintable(window.indicators()->text()));
    QVERIFY(!window.banner()->actionButton()->isEnabled());
}

void TestUiWindowConnection::noClusterIsARedBanner() {
    // `pullwatch` with no kubeconfig anywhere: the backend runs, but nothing can work.
    PullwatchProcess bare;
    QVERIFY2(bare.start({"--headless", "--listen", "127.0.0.1:0", "--log-level", "error"}),
             qPrintable(bare.error()));
    MainWindow window(bare.baseUrl());
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.banner()->problem(), ConnectionBanner::Problem::NoCluster,
                              15'000);
    QVERIFY(window.banner()->isVisible());
    QVERIFY2(window.banner()->text().contains(QStringLiteral("--demo")),
             qPrintable(window.banner()->text()));
    QCOMPARE(window.banner()->actionButton()->text(), QStringLiteral("Connect…"));
    QVERIFY2(window.indicators()->text().contains(QStringLiteral("no cluster")),
             qPrintable(window.indicators()->text()));
    QVERIFY2(!window.indicators()->text().contains(QStringLiteral("backend up")),
             qPrintable(window.indicators()->text()));
    QSignalSpy connectWanted(&window, &MainWindow::connectionRequested);
    QTest::mouseClick(window.banner()->actionButton(), Qt::LeftButton);
    QCOMPARE(connectWanted.size(), 1);

    // A first start that found no cluster asks where to connect, once.
    MainWindow first(bare.baseUrl());
    first.setOfferConnection(true);
    QSignalSpy offered(&first, &MainWindow::connectionRequested);
    first.show();
    QTRY_COMPARE_WITH_TIMEOUT(offered.size(), 1, 15'000);
    first.client()->fetchMetrics(); // the same state again: not asked twice
    QTRY_VERIFY(first.banner()->problem() == ConnectionBanner::Problem::NoCluster);
    QCOMPARE(offered.size(), 1);
}

void TestUiWindowConnection::connectionDialogChoices() {
    QTemporaryDir dir;
    const QString kubeconfig = dir.filePath(QStringLiteral("config"));
    // Earlier choices are window state, offered first.
    QFile::remove(WindowState::filePath());
    ConnectionChoice earlier;
    earlier.kind = ConnectionChoice::Kind::Kubeconfig;
    earlier.kubeconfig = kubeconfig;
    earlier.context = QStringLiteral("prod");
    ConnectionHistory::remember(earlier);
    ConnectionChoice remote;
    remote.kind = ConnectionChoice::Kind::Remote;
    remote.url = QUrl(QStringLiteral("https://earlier.example:8080"));
    remote.token = QStringLiteral("never-stored");
    ConnectionHistory::remember(remote);
    QStringList listed;
    ConnectionDialog dialog(
        [&listed](const QString &file, QString *current, QString *error) {
            listed << file;
            if (!file.endsWith(QStringLiteral("config"))) {
                *error = file + QStringLiteral(": no such file");
                return QStringList();
            }
            *current = QStringLiteral("staging");
            return QStringList{QStringLiteral("prod"), QStringLiteral("staging")};
        },
        kubeconfig);
    dialog.show();
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    // The file's contexts, its current one chosen.
    QCOMPARE(listed, QStringList{kubeconfig});
    QCOMPARE(dialog.choice().kind, ConnectionChoice::Kind::Kubeconfig);
    QCOMPARE(dialog.contextBox()->currentText(), QStringLiteral("staging"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.choice().arguments(),
             (QStringList{"--kubeconfig", kubeconfig, "--context", "staging"}));
    // A file that cannot be read says why and cannot be chosen.
    dialog.kubeconfigEdit()->setText(dir.filePath(QStringLiteral("nope")));
    Q_EMIT dialog.kubeconfigEdit()->editingFinished();
    QVERIFY(!ok->isEnabled());
    QVERIFY2(dialog.problem().contains(QStringLiteral("no such file")),
             qPrintable(dialog.problem()));
    // The demo needs nothing more.
    dialog.choose(ConnectionChoice::Kind::Demo);
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.choice().arguments(), QStringList{"--demo"});
    // A remote server: a URL with http(s) and a host; the token never in the arguments.
    dialog.choose(ConnectionChoice::Kind::Remote);
    QVERIFY(!ok->isEnabled());
    QVERIFY2(dialog.problem().contains(QStringLiteral("http://")), qPrintable(dialog.problem()));
    QTest::keyClicks(dialog.urlEdit(), QStringLiteral("ftp://host"));
    QVERIFY(!ok->isEnabled());
    dialog.urlEdit()->setText(QStringLiteral("https://pw.example:8443"));
    QTest::keyClicks(dialog.tokenEdit(), QStringLiteral("remote-token"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
    QCOMPARE(dialog.choice().arguments(), (QStringList{"--connect", "https://pw.example:8443"}));
    QCOMPARE(dialog.choice().token, QStringLiteral("remote-token"));
    QVERIFY(dialog.choice().rememberToken);

    // The history, newest first; picking one fills the dialog. No token is in the state.
    QCOMPARE(dialog.recentBox()->count(), 3);
    QCOMPARE(dialog.recentBox()->itemData(1).toString(), remote.key());
    QCOMPARE(dialog.recentBox()->itemData(2).toString(), earlier.key());
    dialog.recentBox()->setCurrentIndex(2);
    Q_EMIT dialog.recentBox()->activated(2);
    QCOMPARE(dialog.choice().arguments(),
             (QStringList{"--kubeconfig", kubeconfig, "--context", "prod"}));
    QFile state(WindowState::filePath());
    QVERIFY(state.open(QIODevice::ReadOnly));
    QVERIFY(!state.readAll().contains("never-stored"));
}

void TestUiWindowConnection::tokenKeptOnlyInTheKeychain() {
    // Stored through QtKeychain: either the desktop keychain keeps it, or the answer says
    // why not — and in no case is it written to a file of ours.
    const QUrl server(QStringLiteral("https://keychain-test.example:8080"));
    const QString token = QStringLiteral("keychain-test-token-%1")
                              .arg(QDateTime::currentMSecsSinceEpoch());
    bool answered = false;
    QString storeError;
    TokenKeychain::store(server, token, this, [&](const QString &error) {
        answered = true;
        storeError = error;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 30'000);
    if (storeError.isEmpty()) {
        QString kept;
        bool loaded = false;
        TokenKeychain::load(server, this, [&](const QString &t, const QString &) {
            kept = t;
            loaded = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(loaded, 30'000);
        QCOMPARE(kept, token);
    } else {
        qInfo("no desktop keychain here: %s", qPrintable(storeError));
        QVERIFY2(storeError.contains(QStringLiteral("keychain")), qPrintable(storeError));
    }
    for (const QString &root : {QDir::homePath() + QStringLiteral("/.qttest"),
                                QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
                                QFileInfo(WindowState::filePath()).absolutePath()}) {
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.size() < 1 << 20 && f.open(QIODevice::ReadOnly))
                QVERIFY2(!f.readAll().contains(token.toUtf8()), qPrintable(f.fileName()));
        }
    }
}

// docs/architecture.md §6: with the platform's JWTs, a non-admin may watch but not start,
// cancel or retry: the window hides and disables those, and shows it is read only.
void TestUiWindowConnection::viewerJwtHidesPullCancelAndRetry() {
    QTemporaryDir dir;
    const QByteArray secret = "ui-platform-secret-4c8e2a6f1b3d5e7a9c0f2b4d6e8a1c3e";
    const QString secretFile = writeTempFile(dir, QStringLiteral("jwt-secret"), secret + '\n');
    QVERIFY(!secretFile.isEmpty());
    PullwatchProcess secured;
    QVERIFY2(secured.start({"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level",
                            "warning", "--jwt-secret-file", secretFile}),
             qPrintable(secured.error()));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto pullButton = [](MainWindow &w) {
        for (QPushButton *b : w.activeView()->findChildren<QPushButton *>())
            if (b->text() == MainWindow::tr("&Pull images…"))
                return b;
        return static_cast<QPushButton *>(nullptr);
    };
    const auto pullAction = [](MainWindow &w) {
        for (QAction *a : w.findChildren<QAction *>())
            if (a->text() == MainWindow::tr("&Pull images…"))
                return a;
        return static_cast<QAction *>(nullptr);
    };

    MainWindow viewer(secured.baseUrl(), QString::fromLatin1(TestJwt::hmac(
                                             TestJwt::platformClaims(now, QStringLiteral("bob"), false), secret)));
    viewer.show();
    QTRY_COMPARE_WITH_TIMEOUT(viewer.client()->state(), ApiClient::State::Connected, 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(!viewer.client()->canOperate(), 10'000);
    QVERIFY(!viewer.activeView()->canOperate());
    // isHidden(): hidden by the role itself, whichever tab the saved window state shows.
    QVERIFY(pullButton(viewer) && pullButton(viewer)->isHidden());
    QVERIFY(pullAction(viewer) && !pullAction(viewer)->isEnabled());
    QVERIFY(viewer.statusBar()->currentMessage().contains(QStringLiteral("Read only")));
    // Nor does the pull menu offer them.
    PullJob failedPull;
    failedPull.id = QStringLiteral("image-puller-x");
    failedPull.namespaceName = QStringLiteral("default");
    failedPull.status = PullStatus::Failed;
    std::unique_ptr<QMenu> menu(viewer.pullActions()->menuFor(failedPull, &viewer));
    for (QAction *a : menu->actions())
        if (a->text().remove(u'&').startsWith(QStringLiteral("Retry")) ||
            a->text().remove(u'&').startsWith(QStringLiteral("Cancel")))
            QVERIFY2(!a->isEnabled(), qPrintable(a->text()));

    MainWindow admin(secured.baseUrl(), QString::fromLatin1(TestJwt::hmac(
                                            TestJwt::platformClaims(now, QStringLiteral("alice"), true), secret)));
    admin.show();
    QTRY_COMPARE_WITH_TIMEOUT(admin.client()->state(), ApiClient::State::Connected, 10'000);
    QSignalSpy started(admin.client(), &ApiClient::pullsStarted);
    admin.client()->startPulls({QStringLiteral("nginx:1.27")});
    QVERIFY(started.wait(10'000));
    QVERIFY(admin.client()->canOperate());
    QVERIFY(!pullButton(admin)->isHidden());
    QVERIFY(pullAction(admin)->isEnabled());
}

QTEST_MAIN(TestUiWindowConnection)
#include "tst_ui_window_connection.moc"
