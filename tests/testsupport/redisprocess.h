#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A real redis-server child process on a free loopback port, stopped with the fixture.
class RedisProcess
{
public:
    RedisProcess();
    ~RedisProcess();

    // redis-server arguments after the defaults, for every start (a later one wins):
    // e.g. {"--appendonly", "yes"} for a server that keeps what it acknowledged through kill -9.
    void setExtraArguments(const QStringList &arguments) { m_extraArguments = arguments; }
    // Starts redis-server and waits until it answers PING; false (see error()) otherwise.
    bool start();
    void stop();
    // Restarts on the same port (for reconnection tests).
    bool restart();
    // Kills redis-server with SIGKILL, as a crash or the OOM killer would, and reaps it.
    void kill();
    bool isRunning() const;
    // The redis-server's process id (to stop it with SIGSTOP in chaos tests); 0 when none.
    qint64 processId() const { return m_process.processId(); }
    quint16 port() const { return m_port; }
    QString url() const;
    QString error() const { return m_error; }
    // Sends one command (inline protocol) and returns the raw reply, for assertions.
    QByteArray command(const QByteArray &line, int timeoutMs = 2000) const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QStringList m_extraArguments;
    quint16 m_port = 0;
    QString m_error;
};
