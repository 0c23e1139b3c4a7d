#include "embeddedbackend.h"

#include "server/apiserver.h"
#include "server/serverlog.h"

EmbeddedBackend::EmbeddedBackend(const AppOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    ServerConfig config;
    config.address = options.listenAddress;
    config.port = options.listenPort;
    config.tlsCertFile = options.tlsCert;
    config.tlsKeyFile = options.tlsKey;
    m_server = std::make_unique<ApiServer>(config);
}

EmbeddedBackend::~EmbeddedBackend()
{
    stop();
}

bool EmbeddedBackend::start(QString *error)
{
    if (m_options.demo)
        qCWarning(lcServer) << "no cluster is configured: the simulated cluster (--demo) is not "
                               "built into this version yet";
    else
        qCWarning(lcServer) << "no cluster is configured: the Kubernetes client is not built "
                               "into this version yet";
    return m_server->start(error);
}

void EmbeddedBackend::stop()
{
    if (m_server)
        m_server->stop();
}

QUrl EmbeddedBackend::baseUrl() const
{
    return QUrl(m_server->baseUrl());
}
