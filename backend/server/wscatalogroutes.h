#pragma once

#include "wsconfig.h"

#include "http/httpresponder.h"

#include <QByteArray>
#include <QList>
#include <QObject>

struct HttpRequest;
class KubeClient;
class PodCatalog;

// GET /namespaces and GET /pods?namespace=NS[&job=J] (docs/architecture.md §3): what a log viewer can
// choose from, served from the pod catalog's caches; namespaces are listed at most once per
// kNamespacesTtlMs whatever the number of requests.
class WsCatalogRoutes : public QObject
{
    Q_OBJECT
public:
    static constexpr int kNamespacesTtlMs = 5000;

    WsCatalogRoutes(PodCatalog *catalog, const WsConfig &config, QObject *parent = nullptr);

    // The handlers of their rows in the route table (apiroutes.cpp).
    void namespaces(HttpResponder responder);
    void pods(const HttpRequest &request, HttpResponder responder);

private:
    // The namespaces body is younger than kNamespacesTtlMs.
    bool isFresh() const;

    PodCatalog *m_catalog;
    WsConfig m_config;
    QByteArray m_namespacesBody;
    qint64 m_namespacesAt = -1;
};
