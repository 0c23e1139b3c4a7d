#include "pullwatchprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QRegularExpression>

PullwatchProcess::PullwatchProcess()
    : m_env(QProcessEnvironment::systemEnvironment())
{
    QDir(m_dir.path()).mkpath(QStringLiteral("config"));
    QDir(m_dir.path()).mkpath(QStringLiteral("data"));
    // Isolated from the user's configuration and data.
    m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome());
    m_env.insert(QStringLiteral("XDG_DATA_HOME"), dataDir());
    m_env.insert(QStringLiteral("XDG_STATE_HOME"), stateHome());
    m_env.insert(QStringLiteral("HOME"), m_dir.path());
    for (const QString &key : m_env.keys())
        if (key.startsWith(QStringLiteral("PULLWATCH_")) && key != u"PULLWATCH_BINARY")
            m_env.remove(key);
    m_env.remove(QStringLiteral("KUBECONFIG"));
}

PullwatchProcess::~PullwatchProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QString PullwatchProcess::binary()
{
    const QString fromEnvironment = qEnvironmentVariable("PULLWATCH_BINARY");
    return fromEnvironment.isEmpty() ? QStringLiteral(PULLWATCH_BUILD_BINARY) : fromEnvironment;
}

void PullwatchProcess::setEnvironmentValue(const QString &name, const QString &value)
{
    m_env.insert(name, value);
}

void PullwatchProcess::collect()
{
    m_stdout += m_process.readAllStandardOutput();
    m_stderr += m_process.readAllStandardError();
}

bool PullwatchProcess::start(const QStringList &arguments, int timeoutMs)
{
    if (binary().isEmpty()) {
        m_error = QStringLiteral("PULLWATCH_BINARY is not set");
        return false;
    }
    m_process.setProcessEnvironment(m_env);
    m_process.start(binary(), arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = m_process.errorString();
        return false;
    }
    static const QRegularExpression line(
        QStringLiteral("Pullwatch listening on (https?://\\S+)"));
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(50);
        collect();
        const auto match = line.match(QString::fromUtf8(m_stdout));
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            return true;
        }
        if (m_process.state() == QProcess::NotRunning) {
            m_error = QStringLiteral("pullwatch exited with %1: %2")
                          .arg(m_process.exitCode())
                          .arg(QString::fromUtf8(m_stderr));
            return false;
        }
    }
    m_error = QStringLiteral("no listening line within %1 ms; stderr: %2")
                  .arg(timeoutMs)
                  .arg(QString::fromUtf8(m_stderr));
    return false;
}

int PullwatchProcess::run(const QStringList &arguments, int timeoutMs)
{
    if (binary().isEmpty())
        return -1;
    m_process.setProcessEnvironment(m_env);
    m_process.start(binary(), arguments);
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(2000);
        collect();
        return -1;
    }
    collect();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

int PullwatchProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    const bool finished = m_process.waitForFinished(timeoutMs);
    collect();
    if (!finished)
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}
