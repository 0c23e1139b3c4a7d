#pragma once

#include "wsconfig.h"

#include "http/httpresponder.h"

#include <QByteArray>
#include <QList>
#include <QObject>

class HttpRouter;
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

    WsCatalogRoutes(HttpRouter &router, PodCatalog *catalog, const WsConfig &config,
                    QObject *parent = nullptr);

private:
    void namespaces(HttpResponder responder);
    // The namespaces body is younger than kNamespacesTtlMs.
    bool isFresh() const;

    PodCatalog *m_catalog;
    WsConfig m_config;
    QByteArray m_namespacesBody;
    qint64 m_namespacesAt = -1;
};
