// pullwatch: command line, configuration, and which mode to run; nothing else.
#include "embeddedbackend.h"
#include "logsetup.h"
#include "options.h"
#include "signalwatcher.h"

#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <memory>

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
    if (!headless) {
        QString tokenError;
        // The embedded backend knows its token, also one it generated.
        const QString token = backend ? backend->apiToken() : windowToken(options, &tokenError);
        if (!tokenError.isEmpty()) {
            printLine(stderr, QStringLiteral("pullwatch: %1").arg(tokenError));
            return 2;
        }
        window = std::make_unique<MainWindow>(backendUrl, token);
        window->show();
    }
    const int status = app->exec();
    window.reset();
    if (backend)
        backend->stop();
    return status;
}
