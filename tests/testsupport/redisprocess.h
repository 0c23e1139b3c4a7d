#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

// A real redis-server child process on a free loopback port, stopped with the fixture.
class RedisProcess
{
public:
    RedisProcess();
    ~RedisProcess();

    // Starts redis-server and waits until it answers PING; false (see error()) otherwise.
    bool start();
    void stop();
    // Restarts on the same port (for reconnection tests).
    bool restart();
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
    quint16 m_port = 0;
    QString m_error;
};
