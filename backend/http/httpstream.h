#pragma once

#include <QObject>

class QTcpSocket;

namespace pw::http {

// A response body sent as it is produced (chunked transfer coding, RFC 9112 §7.1), for
// watches and log follows. Writers should stop while bufferedBytes() is above their limit
// and continue on drained().
class HttpStream : public QObject
{
    Q_OBJECT
public:
    HttpStream(QTcpSocket *socket, bool chunked, QObject *parent);

    bool isOpen() const;
    // Sends one chunk; empty data is ignored (an empty chunk would end the body).
    void write(const QByteArray &data);
    // Ends the body; the connection goes on with its next request or closes.
    void end();
    // Ends the response without its last chunk and closes the connection once the queued
    // bytes are sent: the client sees a truncated body, as after a network failure (for
    // fault injection; a clean end() would look like the normal end of the content).
    void abort();
    // Bytes written but not yet taken by the network.
    qint64 bufferedBytes() const;
    void setLowWaterMark(qint64 bytes) { m_lowWaterMark = bytes; }

Q_SIGNALS:
    // The buffered bytes fell to the low-water mark.
    void drained();
    // The client went away or the stream ended; no more writes are possible.
    void closed();

private:
    friend class HttpConnection;
    void onBytesWritten();
    void markClosed();

    QTcpSocket *m_socket;
    bool m_chunked;
    bool m_open = true;
    qint64 m_lowWaterMark = 64 * 1024;
};

} // namespace pw::http
