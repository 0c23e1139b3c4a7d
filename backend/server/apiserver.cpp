#include "apiserver.h"

#include "apierror.h"
#include "serverlog.h"

#include "core/envelope.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace {

bool loadTls(const ServerConfig &config, QSslConfiguration *tls, QString *error)
{
    QFile certFile(config.tlsCertFile);
    if (!certFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-cert: cannot read %1: %2")
                     .arg(config.tlsCertFile, certFile.errorString());
        return false;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("--tls-cert: %1 holds no PEM certificate").arg(config.tlsCertFile);
        return false;
    }
    QFile keyFile(config.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-key: cannot read %1: %2")
                     .arg(config.tlsKeyFile, keyFile.errorString());
        return false;
    }
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = QStringLiteral("--tls-key: %1 holds no PEM RSA or EC private key")
                     .arg(config.tlsKeyFile);
        return false;
    }
    *tls = QSslConfiguration::defaultConfiguration();
    tls->setLocalCertificateChain(chain);
    tls->setPrivateKey(key);
    tls->setPeerVerifyMode(QSslSocket::VerifyNone);
    return true;
}

} // namespace

ApiServer::ApiServer(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_http.setErrorResponder(
        [](int status, const QString &message) { return ApiError::toResponse(status, message); });
    addRoutes();
}

ApiServer::~ApiServer() = default;

bool ApiServer::start(QString *error)
{
    const bool tlsWanted = !m_config.tlsCertFile.isEmpty() || !m_config.tlsKeyFile.isEmpty();
    bool ok = false;
    if (tlsWanted) {
        if (m_config.tlsCertFile.isEmpty() || m_config.tlsKeyFile.isEmpty()) {
            *error = QStringLiteral("--tls-cert and --tls-key must be given together");
            return false;
        }
        QSslConfiguration tls;
        if (!loadTls(m_config, &tls, error))
            return false;
        ok = m_http.listenTls(m_config.address, m_config.port, tls);
    } else {
        ok = m_http.listen(m_config.address, m_config.port);
    }
    if (!ok) {
        *error = QStringLiteral("--listen: cannot listen on %1:%2: %3")
                     .arg(m_config.address.toString())
                     .arg(m_config.port)
                     .arg(m_http.errorString());
        return false;
    }
    qCInfo(lcServer).noquote() << "serving the API on" << baseUrl();
    return true;
}

void ApiServer::stop()
{
    m_http.close();
}

QString ApiServer::baseUrl() const
{
    const QHostAddress a = address();
    QString host = a.toString();
    if (a.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return QStringLiteral("%1://%2:%3")
        .arg(m_http.isTls() ? QStringLiteral("https") : QStringLiteral("http"), host)
        .arg(port());
}

void ApiServer::addRoutes()
{
    HttpRouter &r = m_http.router();
    r.add("GET", QStringLiteral("/healthz"), [](const HttpRequest &, HttpResponder responder) {
        responder.send(HttpResponse::json(200, QByteArrayLiteral("{\"status\":\"ok\"}")));
    });
    r.add("GET", QStringLiteral("/api/version"), [](const HttpRequest &, HttpResponder responder) {
        const QJsonObject version{{QStringLiteral("version"), QStringLiteral(PULLWATCH_VERSION)},
                                  {QStringLiteral("qt"), QString::fromLatin1(qVersion())}};
        responder.send(HttpResponse::json(200, QJsonDocument(version).toJson(QJsonDocument::Compact)));
    });
}
