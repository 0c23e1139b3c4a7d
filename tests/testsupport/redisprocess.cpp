#include "redisprocess.h"

#include "freeport.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>

RedisProcess::RedisProcess() = default;

RedisProcess::~RedisProcess()
{
    stop();
}

bool RedisProcess::start()
{
    const QString binary = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (binary.isEmpty()) {
        m_error = QStringLiteral("redis-server is not installed (make test installs it)");
        return false;
    }
    if (m_port == 0)
        m_port = FreePort::pick();
    m_process.setProgram(binary);
    m_process.setArguments(QStringList{QStringLiteral("--port"), QString::number(m_port),
                            QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                            QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                            QStringLiteral("no"), QStringLiteral("--dir"), m_dir.path(),
                            QStringLiteral("--daemonize"), QStringLiteral("no"),
                            // Tests pause the server with DEBUG SLEEP.
                            QStringLiteral("--enable-debug-command"), QStringLiteral("local")}
                           + m_extraArguments);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("redis-server did not start: %1").arg(m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired()) {
        if (command("PING", 500).startsWith("+PONG"))
            return true;
        if (m_process.state() != QProcess::Running) {
            m_error = QStringLiteral("redis-server exited: %1")
                          .arg(QString::fromLocal8Bit(m_process.readAll()));
            return false;
        }
        QThread::msleep(20);
    }
    m_error = QStringLiteral("redis-server did not answer PING on port %1").arg(m_port);
    return false;
}

void RedisProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

void RedisProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill(); // SIGKILL on Unix
    m_process.waitForFinished(5000);
}

bool RedisProcess::restart()
{
    stop();
    return start();
}

bool RedisProcess::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

QString RedisProcess::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

namespace {

// Length of the complete RESP value at `from`, or -1 if more bytes are needed.
qsizetype completeLength(const QByteArray &data, qsizetype from)
{
    const qsizetype eol = data.indexOf("\r\n", from);
    if (eol < 0)
        return -1;
    const char type = data.at(from);
    const long long n = data.mid(from + 1, eol - from - 1).toLongLong();
    if (type == '$') {
        if (n < 0)
            return eol + 2 - from;
        return data.size() >= eol + 2 + n + 2 ? eol + 2 + n + 2 - from : -1;
    }
    if (type == '*') {
        qsizetype pos = eol + 2;
        for (long long i = 0; i < n; ++i) {
            const qsizetype len = completeLength(data, pos);
            if (len < 0)
                return -1;
            pos += len;
        }
        return pos - from;
    }
    return eol + 2 - from;
}

} // namespace

QByteArray RedisProcess::command(const QByteArray &line, int timeoutMs) const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(line + "\r\n");
    if (!socket.waitForBytesWritten(timeoutMs) || !socket.waitForReadyRead(timeoutMs))
        return {};
    QByteArray reply = socket.readAll();
    while (completeLength(reply, 0) < 0 && socket.waitForReadyRead(timeoutMs))
        reply += socket.readAll();
    return reply;
}
