#pragma once

#include <QHostAddress>
#include <QString>

// What the API server needs to know to start.
struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;
    QString tlsCertFile;
    QString tlsKeyFile;
};
