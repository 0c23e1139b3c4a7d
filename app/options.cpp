#include "options.h"

#include "configfile.h"
#include "optiontable.h"

#include "core/dnsname.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>

namespace pw::app {

namespace {

// The settings the config file gives, in order, each with its row.
QString readConfigFile(const QString &path, bool mustExist, QList<QPair<const OptionSpec *, QString>> *out)
{
    QStringList keys;
    for (const OptionSpec &s : optionTable())
        keys << s.name;
    const auto entries = ConfigFile::read(path, mustExist, keys);
    if (!entries.ok())
        return entries.error();
    for (const ConfigEntry &entry : entries.value())
        out->append({&optionTable().at(keys.indexOf(entry.key)), entry.value});
    return {};
}

// A file the user named must be there and readable: a typo stops start-up (exit 2) instead
// of a server that runs without what was asked for.
QString namedFileError(const QString &option, const QString &path)
{
    if (path.isEmpty())
        return {};
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("--%1: %2 does not exist").arg(option, path);
    if (info.isDir())
        return QStringLiteral("--%1: %2 is a directory, not a file").arg(option, path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("--%1: cannot read %2: %3").arg(option, path, file.errorString());
    return {};
}

QString helpText(const QCommandLineParser &parser)
{
    QString text = parser.helpText();
    // Qt names the program after argv[0], or "<executable_name>" before an application
    // object exists (as here): the usage line says what the user types.
    const qsizetype firstLineEnd = text.indexOf(u'\n');
    text.replace(0, firstLineEnd, QStringLiteral("Usage: pullwatch [options]"));
    text += QStringLiteral(
        "\nEvery option can also be set in the config file (key = value, keys as the long "
        "options without dashes) or by its environment variable; the command line wins over "
        "the environment, which wins over the file.\n\nEnvironment:\n");
    for (const OptionSpec &s : optionTable())
        text += QStringLiteral("  %1  --%2\n").arg(s.env, -30).arg(s.name);
    text += QStringLiteral("  %1  the API token itself\n").arg(QStringLiteral("PULLWATCH_TOKEN"), -30);
    text += QStringLiteral("  %1  --config\n").arg(QStringLiteral("PULLWATCH_CONFIG"), -30);
    return text;
}

} // namespace

namespace Options {

QString defaultConfigFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/pullwatch/pullwatch.conf");
}

QString defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/pullwatch");
}

ParsedOptions parse(const QStringList &arguments, const QProcessEnvironment &environment)
{
    ParsedOptions result;
    auto fail = [&result](const QString &message) {
        result.outcome = ParsedOptions::Outcome::Error;
        result.text = message;
        return result;
    };

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Pullwatch watches the image pull jobs of a Kubernetes cluster and streams its pod logs "
        "live: in a desktop window, in a browser, or through its HTTP/WebSocket API."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Print the version and exit."));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Read settings from FILE (default: %1).")
                                        .arg(defaultConfigFile()),
                                    QStringLiteral("FILE"));
    parser.addOption(help);
    parser.addOption(version);
    parser.addOption(config);
    for (const OptionSpec &s : optionTable()) {
        QCommandLineOption option(s.name, s.help);
        if (!s.valueName.isEmpty())
            option.setValueName(s.valueName);
        parser.addOption(option);
    }
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (parser.isSet(help)) {
        result.outcome = ParsedOptions::Outcome::Help;
        result.text = helpText(parser);
        return result;
    }
    if (parser.isSet(version)) {
        result.outcome = ParsedOptions::Outcome::Version;
        result.text = QStringLiteral("pullwatch %1 (Qt %2)")
                          .arg(QStringLiteral(PULLWATCH_VERSION), QString::fromLatin1(qVersion()));
        return result;
    }

    AppOptions &o = result.options;
    // 1. The config file.
    QList<QPair<const OptionSpec *, QString>> fromFile;
    const bool explicitConfig = parser.isSet(config) || environment.contains(QStringLiteral("PULLWATCH_CONFIG"));
    o.configFile = parser.isSet(config) ? parser.value(config)
                                        : environment.value(QStringLiteral("PULLWATCH_CONFIG"),
                                                            defaultConfigFile());
    const QString fileError = readConfigFile(o.configFile, explicitConfig, &fromFile);
    if (!fileError.isEmpty())
        return fail(fileError);
    QSet<const OptionSpec *> resetByFile;
    for (const auto &[spec, value] : fromFile) {
        if (spec->reset && !resetByFile.contains(spec)) {
            spec->reset(o);
            resetByFile.insert(spec);
        }
        const QString error = spec->apply(o, value);
        if (!error.isEmpty())
            return fail(QStringLiteral("%1: %2: %3").arg(o.configFile, spec->name, error));
    }
    // 2. The environment.
    for (const OptionSpec &s : optionTable()) {
        if (!environment.contains(s.env))
            continue;
        const QString value = environment.value(s.env);
        const QString error = applyOptionLayer(s, o, s.reset ? value.split(u' ', Qt::SkipEmptyParts) : QStringList{value});
        if (!error.isEmpty())
            return fail(QStringLiteral("%1: %2").arg(s.env, error));
    }
    o.token = environment.value(QStringLiteral("PULLWATCH_TOKEN"));
    // 3. The command line.
    for (const OptionSpec &s : optionTable()) {
        if (!parser.isSet(s.name))
            continue;
        const QStringList values = s.valueName.isEmpty() ? QStringList{QStringLiteral("true")}
            : s.reset                                       ? parser.values(s.name)
                                                            : QStringList{parser.value(s.name)};
        const QString error = applyOptionLayer(s, o, values);
        if (!error.isEmpty())
            return fail(QStringLiteral("--%1: %2").arg(s.name, error));
    }

    if (o.dataDir.isEmpty())
        o.dataDir = defaultDataDir();
    const auto policy = core::RegistryPolicy::create(o.allowedRegistries, o.blockedNetworks);
    if (!policy.ok())
        return fail(QStringLiteral("--allowed-registries/--blocked-networks: %1").arg(policy.error()));
    o.pull.registryPolicy = policy.value();
    if (!o.namespaceName.isEmpty()) {
        o.pull.namespaceName = o.namespaceName;
        if (const QString e = core::DnsName::labelError(o.namespaceName,
                                                        u"--namespace"); !e.isEmpty())
            return fail(e);
    }
    if (!o.connectUrl.isEmpty() && o.headless)
        return fail(QStringLiteral("--connect opens a window and cannot be combined with --headless"));
    if (!o.connectUrl.isEmpty() && o.demo)
        return fail(QStringLiteral("--connect uses a remote backend and cannot be combined with --demo"));
    if (!o.notifyUrls.isEmpty() && o.notifySecretFile.isEmpty())
        return fail(QStringLiteral("--notify-url needs --notify-secret-file: callbacks are signed"));
    const bool jwtKey = !o.jwtSecretFile.isEmpty() || !o.jwtPublicKey.isEmpty();
    if (!jwtKey && (!o.jwtIssuer.isEmpty() || !o.jwtAudience.isEmpty()))
        return fail(QStringLiteral("--%1 needs --jwt-secret-file or --jwt-public-key")
                        .arg(o.jwtIssuer.isEmpty() ? QStringLiteral("jwt-audience")
                                                   : QStringLiteral("jwt-issuer")));
    if (o.tlsCert.isEmpty() != o.tlsKey.isEmpty())
        return fail(o.tlsCert.isEmpty() ? QStringLiteral("--tls-key needs --tls-cert")
                                        : QStringLiteral("--tls-cert needs --tls-key"));
    const QList<QPair<QString, QString>> namedFiles{{QStringLiteral("kubeconfig"), o.kubeconfig},
                                                    {QStringLiteral("token-file"), o.tokenFile},
                                                    {QStringLiteral("tls-cert"), o.tlsCert},
                                                    {QStringLiteral("tls-key"), o.tlsKey}};
    for (const auto &[option, path] : namedFiles)
        if (const QString e = namedFileError(option, path); !e.isEmpty())
            return fail(e);
    return result;
}

} // namespace Options

} // namespace pw::app
