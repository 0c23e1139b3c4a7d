#pragma once

#include "options.h"

#include <QList>
#include <QString>

#include <functional>

namespace pw::app {

// The table of settings (app/options.cpp reads it for the command line, the environment and
// the config file): one row per setting with its command-line name, value name (empty for a
// switch), help, the environment variable that sets it and how a value is checked and applied.
struct OptionSpec
{
    QString name;
    QString valueName;
    QString help;
    QString env;
    std::function<QString(AppOptions &, const QString &)> apply; // returns an error or ""
    // Set for an option that may be given several times: empties the list before a layer
    // (file, environment, command line) gives its values, so a higher layer replaces a lower.
    std::function<void(AppOptions &)> reset = {};
};

// Every setting, in the order --help lists them.
const QList<OptionSpec> &optionTable();

// Applies every value one layer gives for `spec`; a repeatable option is replaced as a whole.
// Returns the first error, naming the setting and what is allowed, or "".
QString applyOptionLayer(const OptionSpec &spec, AppOptions &o, const QStringList &values);

} // namespace pw::app
