#include "httpstream.h"

#include "httpconnection.h"

#include <QTcpSocket>

namespace pw::http {

HttpStream::HttpStream(QTcpSocket *socket, bool chunked, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_chunked(chunked)
{
}

bool HttpStream::isOpen() const
{
    return m_open;
}

void HttpStream::write(const QByteArray &data)
{
    if (!m_open || data.isEmpty())
        return;
    if (!m_chunked) {
        m_socket->write(data);
        return;
    }
    QByteArray frame;
    frame.reserve(data.size() + 20);
    frame += QByteArray::number(data.size(), 16);
    frame += "\r\n";
    frame += data;
    frame += "\r\n";
    m_socket->write(frame);
}

qint64 HttpStream::bufferedBytes() const
{
    return m_open ? m_socket->bytesToWrite() : 0;
}

void HttpStream::onBytesWritten()
{
    if (m_open && m_socket->bytesToWrite() <= m_lowWaterMark)
        Q_EMIT drained();
}

void HttpStream::markClosed()
{
    if (!m_open)
        return;
    m_open = false;
    Q_EMIT closed();
}

void HttpStream::end()
{
    if (!m_open)
        return;
    if (m_chunked)
        m_socket->write(QByteArrayLiteral("0\r\n\r\n"));
    auto *connection = qobject_cast<HttpConnection *>(parent());
    markClosed();
    if (connection)
        connection->streamEnded(m_chunked);
}

void HttpStream::abort()
{
    if (!m_open)
        return;
    auto *connection = qobject_cast<HttpConnection *>(parent());
    markClosed();
    if (connection)
        connection->streamEnded(false); // not reusable: the connection closes after the flush
}

} // namespace pw::http
