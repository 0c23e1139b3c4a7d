#include "directwrite.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace pw::http {

namespace DirectWrite {

bool send(QTcpSocket *socket, const QByteArray &head, const QByteArray &body)
{
    if (socket->state() != QAbstractSocket::ConnectedState || socket->bytesToWrite() > 0
        || qobject_cast<QSslSocket *>(socket))
        return false;
    iovec parts[2] = {{const_cast<char *>(head.constData()), size_t(head.size())},
                      {const_cast<char *>(body.constData()), size_t(body.size())}};
    msghdr message = {};
    message.msg_iov = parts;
    message.msg_iovlen = body.isEmpty() ? 1 : 2;
    ssize_t sent;
    do
        sent = ::sendmsg(int(socket->socketDescriptor()), &message, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    if (sent < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return false;
        sent = 0;
    }
    if (sent < head.size()) {
        socket->write(head.constData() + sent, head.size() - sent);
        if (!body.isEmpty())
            socket->write(body);
    } else if (sent < head.size() + body.size()) {
        socket->write(body.constData() + (sent - head.size()), body.size() - (sent - head.size()));
    }
    return true;
}

} // namespace DirectWrite

} // namespace pw::http
