#include "freeport.h"

#include <QTcpServer>

namespace FreePort {

quint16 pick()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

} // namespace FreePort
