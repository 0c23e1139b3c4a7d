#pragma once

#include "options.h"

#include <QObject>
#include <QUrl>

#include <memory>

class ApiServer;

// The backend this process runs (desktop or headless): the API server and, as their work
// lands, the cluster client, pull service and cache behind it.
class EmbeddedBackend : public QObject
{
    Q_OBJECT
public:
    explicit EmbeddedBackend(const AppOptions &options, QObject *parent = nullptr);
    ~EmbeddedBackend() override;

    bool start(QString *error);
    void stop();
    QUrl baseUrl() const;

private:
    AppOptions m_options;
    std::unique_ptr<ApiServer> m_server;
};
