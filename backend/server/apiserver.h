#pragma once

#include "serverconfig.h"

#include "http/httpserver.h"

#include <QObject>

class QWebSocketServer;

// The Pullwatch HTTP API (DESIGN.md §3) on one port: routes, error envelope, TLS.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(ServerConfig config, QObject *parent = nullptr);
    ~ApiServer() override;

    // Binds the port; on failure `error` says what went wrong and the server is not started.
    bool start(QString *error);
    // Closes the listener and every connection.
    void stop();

    QHostAddress address() const { return m_http.serverAddress(); }
    quint16 port() const { return m_http.serverPort(); }
    // http(s)://ADDR:PORT with the real bound port.
    QString baseUrl() const;
    HttpServer &http() { return m_http; }

private:
    void addRoutes();

    ServerConfig m_config;
    HttpServer m_http;
};
