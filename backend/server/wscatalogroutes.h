#pragma once

#include "wsconfig.h"

#include "http/httpresponder.h"

#include <QByteArray>
#include <QList>

#include <vector>
#include <QObject>

struct HttpRequest;
class KubeClient;
class WsPodCatalog;

// GET /namespaces and GET /pods?namespace=NS[&job=J] (docs/architecture.md §3): what a log viewer can
// choose from, served from the pod catalog's caches; namespaces are listed at most once per
// kNamespacesTtlMs whatever the number of requests.
class WsCatalogRoutes : public QObject
{
    Q_OBJECT
public:
    static constexpr int kNamespacesTtlMs = 5000;

    WsCatalogRoutes(WsPodCatalog *catalog, const WsConfig &config, QObject *parent = nullptr);

    // The handlers of their rows in the route table (apiroutes.cpp).
    void namespaces(HttpResponder responder);
    void pods(const HttpRequest &request, HttpResponder responder);

private:
    void answerNamespaces();

    WsPodCatalog *m_catalog;
    WsConfig m_config;
    QByteArray m_namespacesBody;
    qint64 m_namespacesAt = -1;
    std::vector<HttpResponder> m_waiting;
    bool m_listing = false;
};
