#include "resourceapi.h"

#include "fieldvalidation.h"
#include "jobcontroller.h"
#include "kubejson.h"
#include "kubesimlog.h"
#include "logregistry.h"
#include "objectstore.h"
#include "core/selectors.h"
#include "simcontext.h"
#include "tables.h"
#include "watchstream.h"

#include <http/httprequest.h>
#include <http/httpresponse.h>
#include <http/httprouter.h>
#include <http/httpstream.h>

#include <QJsonArray>
#include <QJsonDocument>

namespace pw::kubesim {

namespace {

const ResourceApi::Kind kJobs{QStringLiteral("jobs"), QStringLiteral("Job"),
                              QStringLiteral("batch/v1"), QStringLiteral("batch")};
const ResourceApi::Kind kPods{QStringLiteral("pods"), QStringLiteral("Pod"), QStringLiteral("v1"),
                              QString()};
const ResourceApi::Kind kEvents{QStringLiteral("events"), QStringLiteral("Event"),
                                QStringLiteral("v1"), QString()};
const ResourceApi::Kind kNamespaces{QStringLiteral("namespaces"), QStringLiteral("Namespace"),
                                    QStringLiteral("v1"), QString()};

void sendStatus(http::HttpResponder &responder, int code, const QByteArray &body) {
    responder.send(http::HttpResponse::json(code, body));
}

void badRequest(http::HttpResponder &responder, const QString &message) {
    sendStatus(responder, 400, KubeJson::status(400, QStringLiteral("BadRequest"), message));
}

bool isTrue(const http::HttpRequest &request, QStringView key) {
    const QString v = request.queryValue(key);
    return request.hasQueryItem(key) &&
           (v == QStringLiteral("true") || v == QStringLiteral("1") || v.isEmpty());
}

} // namespace

ResourceApi::ResourceApi(SimContext *context, JobController *jobs, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_jobs(jobs) {}

void ResourceApi::addRoutes(http::HttpRouter &router) {
    for (const Kind *k : {&kJobs, &kPods, &kEvents}) {
        const QString base = k->group.isEmpty() ? QStringLiteral("/api/v1")
                                                : QStringLiteral("/apis/%1/v1").arg(k->group);
        const Kind kind = *k;
        router.add("GET", base + u'/' + kind.resource,
                   [this, kind](const http::HttpRequest &rq, http::HttpResponder r) {
                       list(kind, QString(), rq, std::move(r));
                   });
        router.add("GET", base + QStringLiteral("/namespaces/{ns}/") + kind.resource,
                   [this, kind](const http::HttpRequest &rq, http::HttpResponder r) {
                       list(kind, rq.pathParam(QStringLiteral("ns")), rq, std::move(r));
                   });
        router.add("GET",
                   base + QStringLiteral("/namespaces/{ns}/") + kind.resource +
                       QStringLiteral("/{name}"),
                   [this, kind](const http::HttpRequest &rq, http::HttpResponder r) {
                       get(kind, rq.pathParam(QStringLiteral("ns")),
                           rq.pathParam(QStringLiteral("name")), rq, std::move(r));
                   });
    }
    router.add("GET", QStringLiteral("/apis/batch/v1/namespaces/{ns}/jobs/{name}/status"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) {
                   get(kJobs, rq.pathParam(QStringLiteral("ns")),
                       rq.pathParam(QStringLiteral("name")), rq, std::move(r));
               });
    router.add("POST", QStringLiteral("/apis/batch/v1/namespaces/{ns}/jobs"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) {
                   createJob(rq.pathParam(QStringLiteral("ns")), rq, std::move(r));
               });
    router.add("DELETE", QStringLiteral("/apis/batch/v1/namespaces/{ns}/jobs/{name}"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) {
                   deleteJob(rq.pathParam(QStringLiteral("ns")),
                             rq.pathParam(QStringLiteral("name")), rq, std::move(r));
               });
    router.add("DELETE", QStringLiteral("/api/v1/namespaces/{ns}/pods/{name}"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) {
                   deletePod(rq.pathParam(QStringLiteral("ns")),
                             rq.pathParam(QStringLiteral("name")), std::move(r));
               });
    router.add("GET", QStringLiteral("/api/v1/namespaces"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) {
                   list(kNamespaces, QString(), rq, std::move(r));
               });
    router.add(
        "POST", QStringLiteral("/api/v1/namespaces"),
        [this](const http::HttpRequest &rq, http::HttpResponder r) { createNamespace(rq,
                                                                                     std::move(r)); });
    router.add("GET", QStringLiteral("/api/v1/namespaces/{name}"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) {
                   get(kNamespaces, QString(), rq.pathParam(QStringLiteral("name")), rq,
                       std::move(r));
               });
}

bool ResourceApi::namespaceExists(const QString &ns) const {
    return m_ctx->store->contains(QStringLiteral("namespaces"), QString(), ns);
}

void ResourceApi::list(const Kind &kind, const QString &ns, const http::HttpRequest &request,
                       http::HttpResponder responder) {
    if (isTrue(request, u"watch")) {
        watch(kind, ns, request, std::move(responder));
        return;
    }
    core::Selector labels, fields;
    QString error;
    if (!labels.parseLabels(request.queryValue(u"labelSelector"), &error) ||
        !fields.parseFields(request.queryValue(u"fieldSelector"), &error)) {
        badRequest(responder, error);
        return;
    }
    QList<QJsonObject> items;
    for (const QJsonObject &o : m_ctx->store->list(kind.resource, ns))
        if (labels.matches(o) && fields.matches(o))
            items << o;
    // limit/continue: the continue token is the offset into the (name-ordered) result.
    const int limit = request.queryValue(u"limit").toInt();
    const int offset = QByteArray::fromBase64(request.queryValue(u"continue").toLatin1()).toInt();
    QString next;
    if (offset > 0)
        items = items.mid(offset);
    if (limit > 0 && items.size() > limit) {
        items = items.mid(0, limit);
        next = QString::fromLatin1(QByteArray::number(offset + limit).toBase64());
    }
    const QString rv = QString::number(m_ctx->store->currentVersion());
    if (Tables::wantsTable(request.header("accept"))) {
        QJsonObject table = Tables::table(kind.resource, items, true, rv);
        if (!next.isEmpty())
            KubeJson::set(table, {QStringLiteral("metadata"), QStringLiteral("continue")}, next);
        responder.send(http::HttpResponse::json(200, KubeJson::compact(table)));
        return;
    }
    QJsonArray array;
    for (const QJsonObject &o : items)
        array.append(o);
    QJsonObject meta{{QStringLiteral("resourceVersion"), rv}};
    if (!next.isEmpty())
        meta.insert(QStringLiteral("continue"), next);
    const QJsonObject result{{QStringLiteral("kind"), kind.kind + QStringLiteral("List")},
                             {QStringLiteral("apiVersion"), kind.apiVersion},
                             {QStringLiteral("metadata"), meta},
                             {QStringLiteral("items"), array}};
    responder.send(http::HttpResponse::json(200, KubeJson::compact(result)));
}

void ResourceApi::watch(const Kind &kind, const QString &ns, const http::HttpRequest &request,
                        http::HttpResponder responder) {
    WatchSpec spec;
    QString error;
    if (!spec.labels.parseLabels(request.queryValue(u"labelSelector"), &error) ||
        !spec.fields.parseFields(request.queryValue(u"fieldSelector"), &error)) {
        badRequest(responder, error);
        return;
    }
    const QString rvText = request.queryValue(u"resourceVersion");
    const quint64 version = rvText.toULongLong();
    if (m_ctx->failNextWatches > 0) {
        --m_ctx->failNextWatches;
        const QByteArray status =
            KubeJson::status(410, QStringLiteral("Expired"),
                             QStringLiteral("too old resource version: %1 (%2)")
                                 .arg(version)
                                 .arg(m_ctx->store->currentVersion()));
        if (!m_ctx->failWatchesAsEvent) {
            qCDebug(lcKubeSim) << "fault: answering a watch on" << kind.resource << "with 410";
            sendStatus(responder, 410, status);
            return;
        }
        if (http::HttpStream *s = responder.startStream(200, {{"Content-Type",
                                                               "application/json"}})) {
            s->write(WatchStream::eventLine(QStringLiteral("ERROR"), status));
            s->end();
        }
        return;
    }
    spec.resource = kind.resource;
    spec.kind = kind.kind;
    spec.apiVersion = kind.apiVersion;
    spec.ns = ns;
    spec.bookmarks = isTrue(request, u"allowWatchBookmarks");
    spec.initialEvents = isTrue(request, u"sendInitialEvents");
    spec.table = Tables::wantsTable(request.header("accept"));
    spec.timeoutMs = request.queryValue(u"timeoutSeconds").toInt() * 1000;
    spec.cutMs = m_ctx->watchCutMs;
    spec.lagMs = m_ctx->watchLagMs.value(kind.resource);
    spec.bookmarkIntervalMs = m_ctx->scenario.bookmarkIntervalMs;
    http::HttpStream *stream = responder.startStream(
        200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-cache, private"}});
    if (!stream)
        return;
    auto *w = new WatchStream(m_ctx->store, std::move(spec), stream, this);
    ++m_ctx->openWatches;
    ++m_ctx->watchesOpened;
    ++m_ctx->watchesOpenedOn[SimContext::watchKey(kind.resource, ns,
                                                  request.queryValue(u"labelSelector"))];
    connect(w, &QObject::destroyed, this, [ctx = m_ctx] { --ctx->openWatches; });
    w->start(!rvText.isEmpty(), version);
}

void ResourceApi::get(const Kind &kind, const QString &ns, const QString &name,
                      const http::HttpRequest &request, http::HttpResponder responder) {
    const QJsonObject o = m_ctx->store->get(kind.resource, ns, name);
    if (o.isEmpty()) {
        sendStatus(responder, 404, KubeJson::notFound(kind.resource, kind.group, name));
        return;
    }
    if (Tables::wantsTable(request.header("accept"))) {
        responder.send(http::HttpResponse::json(
            200, KubeJson::compact(Tables::table(
                     kind.resource, {o}, true,
                     KubeJson::at(o, QStringLiteral("metadata.resourceVersion")).toString()))));
        return;
    }
    responder.send(http::HttpResponse::json(200, KubeJson::compact(o)));
}

void ResourceApi::createJob(const QString &ns, const http::HttpRequest &request,
                            http::HttpResponder responder) {
    if (!namespaceExists(ns)) {
        sendStatus(responder, 404, KubeJson::notFound(QStringLiteral("namespaces"), QString(), ns));
        return;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &pe);
    if (!doc.isObject()) {
        badRequest(responder, QStringLiteral("the body of the request was in an unknown format - "
                                             "accepted media types include: application/json, "
                                             "application/yaml (%1)")
                                  .arg(pe.errorString()));
        return;
    }
    // fieldValidation: Strict refuses unknown fields, Warn (the default) names them in
    // Warning headers (RFC 7234 §5.5, code 299, as the apiserver does), Ignore drops them.
    const QString validation = request.queryValue(u"fieldValidation");
    QJsonObject job = doc.object();
    const QStringList unknown =
        FieldValidation::unknownJobFields(&job, validation != QStringLiteral("Strict"));
    if (!unknown.isEmpty() && validation == QStringLiteral("Strict")) {
        QStringList quoted;
        for (const QString &f : unknown)
            quoted << QStringLiteral("unknown field \"%1\"").arg(f);
        badRequest(responder, QStringLiteral("Job in version \"v1\" cannot be handled as a Job: "
                                             "strict decoding error: %1")
                                  .arg(quoted.join(QStringLiteral(", "))));
        return;
    }
    const bool dryRun = request.queryValue(u"dryRun") == QStringLiteral("All");
    const WriteResult result = m_jobs->create(ns, job, dryRun);
    http::HttpResponse response = http::HttpResponse::json(result.code, result.body);
    if (validation != QStringLiteral("Ignore") && result.code < 300) {
        QByteArrayList warnings;
        for (const QString &f : unknown)
            warnings << "299 - \"unknown field \\\"" + f.toUtf8() + "\\\"\"";
        if (!warnings.isEmpty())
            response.setHeader("Warning", warnings.join(", "));
    }
    responder.send(std::move(response));
}

void ResourceApi::deleteJob(const QString &ns, const QString &name,
                            const http::HttpRequest &request,
                            http::HttpResponder responder) {
    QString propagation = request.queryValue(u"propagationPolicy");
    const QJsonObject options = QJsonDocument::fromJson(request.body).object();
    if (propagation.isEmpty())
        propagation = options.value(QStringLiteral("propagationPolicy")).toString();
    if (propagation.isEmpty() && options.value(QStringLiteral("orphanDependents")).isBool())
        propagation = options.value(QStringLiteral("orphanDependents")).toBool()
                          ? QStringLiteral("Orphan")
                          : QStringLiteral("Background");
    if (propagation.isEmpty())
        propagation = QStringLiteral("Orphan"); // batch/v1 Job's default GC policy
    if (propagation != QStringLiteral("Orphan") && propagation != QStringLiteral("Background") &&
        propagation != QStringLiteral("Foreground")) {
        sendStatus(responder, 422,
                   KubeJson::status(
                       422, QStringLiteral("Invalid"),
                       QStringLiteral("DeleteOptions.meta.k8s.io \"\" is invalid: "
                                      "propagationPolicy: Unsupported value: \"%1\": supported "
                                      "values: \"Foreground\", \"Background\", \"Orphan\"")
                           .arg(propagation)));
        return;
    }
    const WriteResult result = m_jobs->remove(ns, name, propagation);
    responder.send(http::HttpResponse::json(result.code, result.body));
}

void ResourceApi::deletePod(const QString &ns, const QString &name, http::HttpResponder responder) {
    QJsonObject pod = m_ctx->store->get(QStringLiteral("pods"), ns, name);
    if (pod.isEmpty()) {
        sendStatus(responder, 404, KubeJson::notFound(QStringLiteral("pods"), QString(), name));
        return;
    }
    m_ctx->store->remove(QStringLiteral("pods"), ns, name);
    m_ctx->logs->removePod(ns, name);
    KubeJson::set(pod, {QStringLiteral("metadata"), QStringLiteral("deletionTimestamp")},
                  KubeJson::nowStamp());
    responder.send(http::HttpResponse::json(200, KubeJson::compact(pod)));
}

void ResourceApi::createNamespace(const http::HttpRequest &request, http::HttpResponder responder) {
    QJsonObject ns = QJsonDocument::fromJson(request.body).object();
    const QString name = KubeJson::at(ns, QStringLiteral("metadata.name")).toString();
    if (name.isEmpty()) {
        sendStatus(
            responder, 422,
            KubeJson::status(422, QStringLiteral("Invalid"),
                             QStringLiteral("Namespace \"\" is invalid: metadata.name: Required "
                                            "value: name or generateName is required")));
        return;
    }
    if (namespaceExists(name)) {
        sendStatus(responder, 409,
                   KubeJson::alreadyExists(QStringLiteral("namespaces"), QString(), name));
        return;
    }
    ns.insert(QStringLiteral("kind"), QStringLiteral("Namespace"));
    ns.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
    ns.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("finalizers"),
                                                   QJsonArray{QStringLiteral("kubernetes")}}});
    ns.insert(QStringLiteral("status"),
              QJsonObject{{QStringLiteral("phase"), QStringLiteral("Active")}});
    responder.send(http::HttpResponse::json(
        201, KubeJson::compact(m_ctx->store->create(QStringLiteral("namespaces"), ns))));
}

} // namespace pw::kubesim
