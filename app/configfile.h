#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace pw::app {

// The config file (README "Configuration reference"): `key = value` lines; blank lines and
// lines starting with `#` or `;` are skipped; a double-quoted value is taken as written up
// to its closing quote (so it may hold `#` and `;`), otherwise a `#` or `;` that starts the
// value or follows white space begins a comment. At most 1 MiB.

// One `key = value` line.
struct ConfigEntry
{
    QString key;
    QString value;
    int line = 0;
};

namespace ConfigFile {

inline constexpr qsizetype kMaxBytes = 1 << 20;

// The entries of `text`, in order, or an error naming `path`, the line and what is wrong
// (an unknown key lists `knownKeys`). Takes any bytes.
core::Result<QList<ConfigEntry>> parse(QByteArrayView text, const QString &path,
                                       const QStringList &knownKeys);

// Reads and parses the file at `path`; a file that does not exist gives no entries unless
// `mustExist`.
core::Result<QList<ConfigEntry>> read(const QString &path, bool mustExist,
                                      const QStringList &knownKeys);

} // namespace ConfigFile

} // namespace pw::app
