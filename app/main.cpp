// pullwatch: command line, configuration, and which mode to run; nothing else.
#include "connectionswitch.h"
#include "embeddedbackend.h"
#include "kubecontexts.h"
#include "logsetup.h"
#include "options.h"
#include "signalwatcher.h"

#include "ui/connectiondialog.h"
#include "ui/mainwindow.h"
#include "ui/tokenkeychain.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

using namespace pw::app;
using namespace pw::ui;

namespace {

bool hasDisplay(const QProcessEnvironment &env)
{
    return !env.value(QStringLiteral("DISPLAY")).isEmpty()
        || !env.value(QStringLiteral("WAYLAND_DISPLAY")).isEmpty()
        || !env.value(QStringLiteral("QT_QPA_PLATFORM")).isEmpty();
}

void printLine(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

// The API token the window sends as `Authorization: Bearer` (docs/architecture.md §6): PULLWATCH_TOKEN,
// else the first line of --token-file. Never printed.
QString windowToken(const AppOptions &options, QString *error)
{
    if (!options.token.isEmpty())
        return options.token.trimmed();
    if (options.tokenFile.isEmpty())
        return QString();
    QFile file(options.tokenFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--token-file %1: %2").arg(options.tokenFile, file.errorString());
        return QString();
    }
    return QString::fromUtf8(file.readLine(4096)).trimmed();
}

// A remote server's token kept in the desktop keychain (TokenKeychain), when none was given.
// Waits briefly: a keychain that does not answer leaves the window to ask for the token.
QString keychainToken(const QUrl &server)
{
    QString token;
    QEventLoop loop;
    TokenKeychain::load(server, &loop, [&](const QString &kept, const QString &error) {
        token = kept;
        if (!error.isEmpty())
            qInfo().noquote() << "no token from the desktop keychain:" << error;
        loop.quit();
    });
    QTimer::singleShot(3000, &loop, &QEventLoop::quit);
    loop.exec();
    return token;
}

// The window's "Connect…": the dialog, then Pullwatch starts again with the choice once this
// process has stopped (docs/architecture.md §1: app/ selects the mode).
void offerConnections(MainWindow *window, const QProcessEnvironment &env,
                      std::optional<ConnectionChoice> *chosen)
{
    QObject::connect(window, &MainWindow::connectionRequested, window, [window, env, chosen] {
        if (window->findChild<ConnectionDialog *>())
            return;
        auto *dialog = new ConnectionDialog(KubeContexts::list,
                                            KubeContexts::defaultFile(env, QDir::homePath()), window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QDialog::accepted, window, [window, dialog, chosen] {
            const ConnectionChoice choice = dialog->choice();
            *chosen = choice;
            ConnectionHistory::remember(choice);
            if (choice.kind != ConnectionChoice::Kind::Remote || choice.token.isEmpty()
                || !choice.rememberToken) {
                window->close();
                return;
            }
            TokenKeychain::store(choice.url, choice.token, window, [window](const QString &error) {
                if (!error.isEmpty())
                    qWarning().noquote() << "the token is used for this session only; the desktop "
                                            "keychain did not keep it:" << error;
                window->close();
            });
        });
        dialog->open();
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("pullwatch"));
    QCoreApplication::setOrganizationName(QStringLiteral("pullwatch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PULLWATCH_VERSION));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const ParsedOptions parsed = Options::parse(arguments, env);
    switch (parsed.outcome) {
    case ParsedOptions::Outcome::Help:
    case ParsedOptions::Outcome::Version:
        printLine(stdout, parsed.text);
        return 0;
    case ParsedOptions::Outcome::Error:
        printLine(stderr, QStringLiteral("pullwatch: %1\nTry 'pullwatch --help'.").arg(parsed.text));
        return 2;
    case ParsedOptions::Outcome::Run:
        break;
    }
    AppOptions options = parsed.options;
    const bool display = hasDisplay(env);
    if (!options.connectUrl.isEmpty() && !display) {
        printLine(stderr, QStringLiteral("pullwatch: --connect opens a window and needs a display"));
        return 2;
    }
    const bool headless = options.headless || !display;

    // The application object decides whether a display is needed, so it comes first.
    std::unique_ptr<QCoreApplication> app;
    if (headless) {
        // Qt's own event dispatcher serves ~13 % more cached requests per second than the
        // glib one (bench/RESULTS.md, finding 3); a server needs nothing from glib.
        if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
            qputenv("QT_NO_GLIB", "1");
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    else {
        app = std::make_unique<QApplication>(argc, argv);
    }
    LogSetup::install(options.logLevel, options.logFormat);
    if (!options.headless && headless)
        qInfo("no display found: running headless");

    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, app.get(),
                     [](int) { QCoreApplication::quit(); });

    std::unique_ptr<EmbeddedBackend> backend;
    QUrl backendUrl = options.connectUrl;
    if (options.connectUrl.isEmpty()) {
        backend = std::make_unique<EmbeddedBackend>(options);
        QString error;
        if (!backend->start(&error)) {
            printLine(stderr, QStringLiteral("pullwatch: %1").arg(error));
            return 1;
        }
        backendUrl = backend->baseUrl();
        printLine(stdout, QStringLiteral("Pullwatch listening on %1").arg(backendUrl.toString()));
    }

    std::unique_ptr<MainWindow> window;
    std::optional<ConnectionChoice> chosen; // set by the connection dialog: start again with it
    if (!headless) {
        QString tokenError;
        // The embedded backend knows its token, also one it generated.
        const QString token = backend ? backend->apiToken() : windowToken(options, &tokenError);
        if (!tokenError.isEmpty()) {
            printLine(stderr, QStringLiteral("pullwatch: %1").arg(tokenError));
            return 2;
        }
        const QString windowToken =
            token.isEmpty() && !backend ? keychainToken(options.connectUrl) : token;
        window = std::make_unique<MainWindow>(backendUrl, windowToken);
        // A first start that found no cluster asks where to connect.
        window->setOfferConnection(backend && !options.demo && options.kubeconfig.isEmpty());
        offerConnections(window.get(), env, &chosen);
        if (!backend) {
            // A token the user types for a remote server is kept in the desktop keychain.
            QObject::connect(window.get(), &MainWindow::tokenEntered, window.get(),
                             [w = window.get(), url = options.connectUrl](const QString &t) {
                                 TokenKeychain::store(url, t, w, [w](const QString &error) {
                                     if (!error.isEmpty())
                                         w->statusBar()->showMessage(
                                             QObject::tr("The desktop keychain did not keep the "
                                                         "token (%1): it is used for this "
                                                         "session only.")
                                                 .arg(error),
                                             15'000);
                                 });
                             });
        }
        window->show();
    }
    const int status = app->exec();
    window.reset();
    if (backend)
        backend->stop();
    backend.reset(); // the address is free for the next start
    if (chosen) {
        QString error;
        if (!ConnectionSwitch::relaunch(QCoreApplication::applicationFilePath(),
                                        ConnectionSwitch::arguments(arguments, *chosen),
                                        ConnectionSwitch::environment(env, *chosen), &error)) {
            printLine(stderr, QStringLiteral("pullwatch: cannot start again with %1: %2")
                                  .arg(chosen->describe(), error));
            return 1;
        }
    }
    return status;
}
