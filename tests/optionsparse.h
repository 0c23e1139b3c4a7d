#pragma once

#include "app/options.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QStringList>

// Options::parse as the option tests run it: with `emptyConfig` (an empty file) as the config
// file unless the environment names another, so the user's real one stays out of the test.
inline pw::app::ParsedOptions parseOptions(const QStringList &args, const QString &emptyConfig,
                                  QProcessEnvironment env = {})
{
    if (!env.contains(QStringLiteral("PULLWATCH_CONFIG")))
        env.insert(QStringLiteral("PULLWATCH_CONFIG"), emptyConfig);
    return pw::app::Options::parse(QStringList{QStringLiteral("pullwatch")} + args, env);
}

// Creates (or empties) the file at `path`.
inline bool writeEmptyFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate);
}
