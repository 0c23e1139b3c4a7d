#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

// A running `pullwatch` process (the binary named by PULLWATCH_BINARY), started headless
// on a free loopback port with its own data and config directories.
class PullwatchProcess
{
public:
    PullwatchProcess();
    ~PullwatchProcess();

    static QString binary();
    // Extra environment on top of the isolated one.
    void setEnvironmentValue(const QString &name, const QString &value);
    // Starts `pullwatch <arguments>` and waits for its listening line.
    bool start(const QStringList &arguments, int timeoutMs = 10'000);
    // Runs `pullwatch <arguments>` to its end; returns the exit status (-1 on crash/timeout).
    int run(const QStringList &arguments, int timeoutMs = 10'000);
    // SIGTERM, then waits; returns the exit status or -1.
    int terminate(int timeoutMs = 5000);

    QUrl baseUrl() const { return m_baseUrl; }
    QString dataDir() const { return m_dir.path() + QStringLiteral("/data"); }
    QString configHome() const { return m_dir.path() + QStringLiteral("/config"); }
    QString stateHome() const { return m_dir.path() + QStringLiteral("/state"); }
    QByteArray standardOutput() const { return m_stdout; }
    QByteArray standardError() const { return m_stderr; }
    QString error() const { return m_error; }
    QProcess &process() { return m_process; }

private:
    void collect();

    QTemporaryDir m_dir;
    QProcess m_process;
    QProcessEnvironment m_env;
    QUrl m_baseUrl;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_error;
};
