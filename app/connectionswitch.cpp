#include "connectionswitch.h"

#include <QProcess>

namespace pw::app {

namespace ConnectionSwitch {

QStringList arguments(const QStringList &arguments, const ui::ConnectionChoice &choice) {
    static const QStringList switches{QStringLiteral("--demo"), QStringLiteral("-demo")};
    static const QStringList withValue{QStringLiteral("kubeconfig"), QStringLiteral("context"),
                                       QStringLiteral("connect"), QStringLiteral("token-file")};
    QStringList out;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        if (switches.contains(a))
            continue;
        QString name = a;
        while (name.startsWith(u'-'))
            name.remove(0, 1);
        if (withValue.contains(name.section(u'=', 0, 0)) && a.startsWith(u'-')) {
            if (!name.contains(u'='))
                ++i; // its value follows
            continue;
        }
        out << a;
    }
    return out + choice.arguments();
}

QProcessEnvironment environment(const QProcessEnvironment &environment,
                                const ui::ConnectionChoice &choice) {
    QProcessEnvironment env = environment;
    for (const char *name : {"PULLWATCH_DEMO", "PULLWATCH_KUBECONFIG", "PULLWATCH_CONTEXT",
                             "PULLWATCH_CONNECT", "PULLWATCH_TOKEN_FILE", "PULLWATCH_TOKEN"})
        env.remove(QString::fromLatin1(name));
    if (choice.kind == ui::ConnectionChoice::Kind::Remote && !choice.token.isEmpty())
        env.insert(QStringLiteral("PULLWATCH_TOKEN"), choice.token);
    return env;
}

bool relaunch(const QString &program, const QStringList &arguments,
              const QProcessEnvironment &environment, QString *error, qint64 *pid) {
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setProcessEnvironment(environment);
    if (process.startDetached(pid))
        return true;
    *error = process.errorString();
    return false;
}

} // namespace ConnectionSwitch

} // namespace pw::app
