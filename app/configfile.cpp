#include "configfile.h"

#include <QFile>

namespace pw::app {

namespace ConfigFile {
namespace {

// The value of a `key = value` line (the rules are in configfile.h).
QString configValue(const QString &raw, QString *out)
{
    const QString text = raw.trimmed();
    if (text.startsWith(u'"')) {
        const qsizetype close = text.indexOf(u'"', 1);
        if (close < 0)
            return QStringLiteral("the quoted value has no closing '\"'");
        const QString rest = text.mid(close + 1).trimmed();
        if (!rest.isEmpty() && !rest.startsWith(u'#') && !rest.startsWith(u';'))
            return QStringLiteral("only a comment (# or ;) may follow the quoted value, not '%1'")
                .arg(rest);
        *out = text.mid(1, close - 1);
        return {};
    }
    qsizetype end = text.size();
    for (qsizetype i = 0; i < text.size(); ++i) {
        if ((text[i] == u'#' || text[i] == u';') && (i == 0 || text[i - 1].isSpace())) {
            end = i;
            break;
        }
    }
    *out = text.left(end).trimmed();
    return {};
}

} // namespace

core::Result<QList<ConfigEntry>> parse(QByteArrayView text, const QString &path,
                                       const QStringList &knownKeys)
{
    using R = core::Result<QList<ConfigEntry>>;
    QList<ConfigEntry> entries;
    int lineNumber = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        ++lineNumber;
        const QString line = QString::fromUtf8(text.sliced(start, end - start)).trimmed();
        start = end + 1;
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            return R::failure(QStringLiteral("%1:%2: expected 'key = value'").arg(path).arg(lineNumber));
        ConfigEntry entry{line.left(eq).trimmed(), {}, lineNumber};
        if (const QString error = configValue(line.mid(eq + 1), &entry.value); !error.isEmpty())
            return R::failure(
                QStringLiteral("%1:%2: %3: %4").arg(path).arg(lineNumber).arg(entry.key, error));
        if (!knownKeys.contains(entry.key))
            return R::failure(QStringLiteral("%1:%2: unknown key '%3'; known keys: %4")
                                  .arg(path)
                                  .arg(lineNumber)
                                  .arg(entry.key, knownKeys.join(QStringLiteral(", "))));
        entries.append(entry);
    }
    return entries;
}

core::Result<QList<ConfigEntry>> read(const QString &path, bool mustExist,
                                      const QStringList &knownKeys)
{
    using R = core::Result<QList<ConfigEntry>>;
    QFile file(path);
    if (!file.exists())
        return mustExist ? R::failure(QStringLiteral("--config: %1 does not exist").arg(path))
                         : R(QList<ConfigEntry>{});
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("--config: cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray text = file.read(kMaxBytes + 1); // bounded, even for a pipe
    if (text.size() > kMaxBytes)
        return R::failure(QStringLiteral("--config: %1 is larger than 1 MiB").arg(path));
    return parse(text, path, knownKeys);
}

} // namespace ConfigFile

} // namespace pw::app
