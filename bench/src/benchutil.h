#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Small helpers shared by the benchmark programs: limits, memory, statistics, output.
namespace BenchUtil {

// Raises RLIMIT_NOFILE to the hard limit; returns the new soft limit.
long raiseFileLimit();
// Resident set size of a process in KB (VmRSS from /proc/PID/status), -1 if unknown.
long rssKb(qint64 pid);
// The value of `--name` in args, or fallback.
QString option(const QStringList &args, const char *name, const QString &fallback = QString());
bool flag(const QStringList &args, const char *name);
// Percentile (0..100) of a list by nearest rank; 0 for an empty list.
double percentile(QList<double> values, double p);
// One `key=value` line on stdout, flushed: bench/run collects these.
void emitValue(const char *key, double value);
void emitText(const char *key, const QString &value);

} // namespace BenchUtil
