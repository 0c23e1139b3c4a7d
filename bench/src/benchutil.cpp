#include "benchutil.h"

#include <QFile>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sys/resource.h>

namespace BenchUtil {

long raiseFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return long(limit.rlim_cur);
}

long rssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    return -1;
}

QString option(const QStringList &args, const char *name, const QString &fallback)
{
    const QString key = QStringLiteral("--") + QLatin1String(name);
    const int i = int(args.indexOf(key));
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

bool flag(const QStringList &args, const char *name)
{
    return args.contains(QStringLiteral("--") + QLatin1String(name));
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(values.size())));
    return values.at(qBound<qsizetype>(0, rank - 1, values.size() - 1));
}

void emitValue(const char *key, double value)
{
    std::printf("%s=%.6g\n", key, value);
    std::fflush(stdout);
}

void emitText(const char *key, const QString &value)
{
    std::printf("%s=%s\n", key, qPrintable(value));
    std::fflush(stdout);
}

} // namespace BenchUtil
