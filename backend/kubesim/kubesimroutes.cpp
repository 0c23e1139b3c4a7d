// KubeSim, routes: discovery, OpenAPI, health, then the resource and log APIs.
#include "kubesim.h"

#include "discovery.h"
#include "kubejson.h"
#include "logapi.h"
#include "openapiv2.h"
#include "resourceapi.h"

#include <http/httprequest.h>
#include <http/httpresponder.h>
#include <http/httpresponse.h>
#include <http/httpserver.h>

#include <QJsonArray>

void KubeSim::addRoutes() {
    HttpRouter &router = m_server->router();
    auto fixed = [&router](const QString &path, std::function<QByteArray()> body) {
        router.add("GET", path, [body](const HttpRequest &, HttpResponder r) {
            r.send(HttpResponse::json(200, body()));
        });
    };
    fixed(QStringLiteral("/api"),
          [this] { return Discovery::api(QStringLiteral("%1:%2").arg(url().host()).arg(port())); });
    fixed(QStringLiteral("/apis"), [] { return Discovery::apis(); });
    fixed(QStringLiteral("/api/v1"), [] { return Discovery::coreV1(); });
    fixed(QStringLiteral("/apis/batch/v1"), [] { return Discovery::batchV1(); });
    fixed(QStringLiteral("/apis/batch"), [] {
        const QJsonObject v1{{QStringLiteral("groupVersion"), QStringLiteral("batch/v1")},
                             {QStringLiteral("version"), QStringLiteral("v1")}};
        return KubeJson::compact({{QStringLiteral("kind"), QStringLiteral("APIGroup")},
                                  {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                  {QStringLiteral("name"), QStringLiteral("batch")},
                                  {QStringLiteral("versions"), QJsonArray{v1}},
                                  {QStringLiteral("preferredVersion"), v1}});
    });
    fixed(QStringLiteral("/version"), [] { return Discovery::version(); });
    fixed(QStringLiteral("/openapi/v3"), [] { return Discovery::openApiV3Root(); });
    router.add(
        "GET", QStringLiteral("/openapi/v3/{gv...}"), [](const HttpRequest &rq, HttpResponder r) {
            const QByteArray doc = Discovery::openApiV3(rq.pathParam(QStringLiteral("gv")));
            if (doc.isEmpty())
                r.send(HttpResponse::json(
                    404, KubeJson::status(
                             404, QStringLiteral("NotFound"),
                             QStringLiteral("the server could not find the requested resource"))));
            else
                r.send(HttpResponse::json(200, doc));
        });
    router.add("GET", QStringLiteral("/openapi/v2"), [](const HttpRequest &, HttpResponder r) {
        r.send(HttpResponse::text(200, OpenApiV2::protobufDocument(), OpenApiV2::kContentType));
    });
    for (const char *health : {"/healthz", "/livez", "/readyz"})
        router.add("GET", QLatin1String(health), [](const HttpRequest &, HttpResponder r) {
            r.send(HttpResponse::text(200, "ok"));
        });
    m_resources->addRoutes(router);
    m_logApi->addRoutes(router);
}
