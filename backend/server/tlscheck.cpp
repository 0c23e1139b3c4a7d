#include "tlscheck.h"

#include <QEventLoop>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

#include <functional>

namespace pw::server {

namespace {

// A listener whose connections start TLS with the configuration under test.
class CheckServer : public QTcpServer {
public:
    explicit CheckServer(QSslConfiguration configuration)
        : m_configuration(std::move(configuration)) {}
    QSslSocket *socket = nullptr;
    std::function<void(QSslSocket *)> onSocket;

protected:
    void incomingConnection(qintptr descriptor) override {
        socket = new QSslSocket(this);
        socket->setSslConfiguration(m_configuration);
        if (onSocket)
            onSocket(socket);
        if (socket->setSocketDescriptor(descriptor))
            socket->startServerEncryption();
    }

private:
    QSslConfiguration m_configuration;
};

} // namespace

bool TlsCheck::verify(const QSslConfiguration &configuration, QString *error, int timeoutMs) {
    CheckServer listener(configuration);
    if (!listener.listen(QHostAddress::LocalHost, 0)) {
        *error = QStringLiteral("cannot check the TLS certificate and key: %1")
                     .arg(listener.errorString());
        return false;
    }
    QEventLoop loop;
    QString serverError;
    bool serverEncrypted = false;
    bool clientEncrypted = false;
    const auto maybeQuit = [&] {
        if ((serverEncrypted && clientEncrypted) || !serverError.isEmpty())
            loop.quit();
    };
    listener.onSocket = [&](QSslSocket *socket) {
        QObject::connect(socket, &QSslSocket::encrypted, &loop, [&] {
            serverEncrypted = true;
            maybeQuit();
        });
        QObject::connect(socket, &QAbstractSocket::errorOccurred, &loop, [&, socket] {
            if (serverError.isEmpty())
                serverError = socket->errorString();
            maybeQuit();
        });
    };
    QSslSocket client;
    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setPeerVerifyMode(QSslSocket::VerifyNone);
    client.setSslConfiguration(clientConfig);
    QObject::connect(&client, &QSslSocket::encrypted, &loop, [&] {
        clientEncrypted = true;
        maybeQuit();
    });
    QObject::connect(&client, &QAbstractSocket::errorOccurred, &loop, [&] {
        // The client sees only "handshake failure"; wait briefly for the server's reason.
        QTimer::singleShot(200, &loop, &QEventLoop::quit);
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener.serverPort());
    loop.exec();
    if (serverEncrypted && clientEncrypted)
        return true;
    const QString why = !serverError.isEmpty()            ? serverError
                        : !client.errorString().isEmpty() ? client.errorString()
                                                          : QStringLiteral("no answer");
    *error = QStringLiteral("--tls-cert/--tls-key: a TLS handshake with this certificate and key "
                            "failed (%1); does the key belong to the certificate?")
                 .arg(why);
    return false;
}

} // namespace pw::server
