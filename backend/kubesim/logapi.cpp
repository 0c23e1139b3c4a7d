#include "logapi.h"

#include "containerlog.h"
#include "kubejson.h"
#include "logfollower.h"
#include "logregistry.h"
#include "objectstore.h"
#include "simcontext.h"

#include <core/timeformat.h>
#include <http/httprequest.h>
#include <http/httpresponse.h>
#include <http/httprouter.h>
#include <http/httpstream.h>

#include <QJsonArray>

namespace {

void fail(HttpResponder &responder, int code, const QString &message) {
    responder.send(
        HttpResponse::json(code, KubeJson::status(code, KubeJson::reasonForCode(code), message)));
}

bool flag(const HttpRequest &request, QStringView key) {
    const QString v = request.queryValue(key);
    return v == QStringLiteral("true") || v == QStringLiteral("1");
}

QStringList names(const QJsonArray &containers) {
    QStringList out;
    for (const QJsonValue &v : containers)
        out << v.toObject().value(QStringLiteral("name")).toString();
    return out;
}

QJsonObject statusOf(const QJsonObject &pod, const QString &container) {
    for (const char *key : {"status.containerStatuses", "status.initContainerStatuses"})
        for (const QJsonValue &v : KubeJson::at(pod, QLatin1String(key)).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == container)
                return v.toObject();
    return {};
}

} // namespace

LogApi::LogApi(SimContext *context, QObject *parent)
    : QObject(parent)
    , m_ctx(context) {}

void LogApi::addRoutes(HttpRouter &router) {
    router.add("GET", QStringLiteral("/api/v1/namespaces/{ns}/pods/{name}/log"),
               [this](const HttpRequest &rq, HttpResponder r) { serve(rq, std::move(r)); });
}

void LogApi::serve(const HttpRequest &request, HttpResponder responder) {
    const QString ns = request.pathParam(QStringLiteral("ns"));
    const QString podName = request.pathParam(QStringLiteral("name"));
    const QJsonObject pod = m_ctx->store->get(QStringLiteral("pods"), ns, podName);
    if (pod.isEmpty()) {
        responder.send(HttpResponse::json(
            404, KubeJson::notFound(QStringLiteral("pods"), QString(), podName)));
        return;
    }
    // Parameters, checked as the apiserver's PodLogOptions validation does.
    bool ok = true;
    const bool hasTail = request.hasQueryItem(u"tailLines");
    const qint64 tail = request.queryValue(u"tailLines").toLongLong(&ok);
    if (hasTail && (!ok || tail < 0)) {
        fail(responder, 422,
             QStringLiteral("PodLogOptions \"%1\" is invalid: tailLines: Invalid value: %2: must "
                            "be greater than or equal to 0")
                 .arg(podName, request.queryValue(u"tailLines")));
        return;
    }
    const bool hasSinceSeconds = request.hasQueryItem(u"sinceSeconds");
    const bool hasSinceTime = request.hasQueryItem(u"sinceTime");
    if (hasSinceSeconds && hasSinceTime) {
        fail(responder, 422,
             QStringLiteral("PodLogOptions \"%1\" is invalid: []: Forbidden: at most one of "
                            "`sinceTime` or `sinceSeconds` may be specified")
                 .arg(podName));
        return;
    }
    qint64 sinceNs = 0;
    if (hasSinceSeconds) {
        const qint64 s = request.queryValue(u"sinceSeconds").toLongLong(&ok);
        if (!ok || s < 1) {
            fail(responder, 422,
                 QStringLiteral("PodLogOptions \"%1\" is invalid: sinceSeconds: Invalid value: %2: "
                                "must be greater than 0")
                     .arg(podName, request.queryValue(u"sinceSeconds")));
            return;
        }
        sinceNs = ContainerLog::nowNs() - s * 1000000000LL;
    } else if (hasSinceTime) {
        const QDateTime t = TimeFormat::parseRfc3339(request.queryValue(u"sinceTime"));
        if (!t.isValid()) {
            fail(
                responder, 400,
                QStringLiteral("parsing time \"%1\" as \"2006-01-02T15:04:05Z07:00\": cannot parse")
                    .arg(request.queryValue(u"sinceTime")));
            return;
        }
        // metav1.Time carries whole seconds: the fraction is dropped, as the real API does.
        sinceNs = t.toSecsSinceEpoch() * 1000000000LL;
    }
    const qint64 limitBytes = request.queryValue(u"limitBytes").toLongLong();

    // Which container.
    const QStringList mains = names(KubeJson::at(pod, QStringLiteral("spec.containers")).toArray());
    const QStringList inits =
        names(KubeJson::at(pod, QStringLiteral("spec.initContainers")).toArray());
    QString container = request.queryValue(u"container");
    if (container.isEmpty()) {
        if (mains.size() != 1) {
            QString message =
                QStringLiteral("a container name must be specified for pod %1, choose one of: [%2]")
                    .arg(podName, mains.join(u' '));
            if (!inits.isEmpty())
                message +=
                    QStringLiteral(" or one of the init containers: [%1]").arg(inits.join(u' '));
            fail(responder, 400, message);
            return;
        }
        container = mains.first();
    }
    if (!mains.contains(container) && !inits.contains(container)) {
        fail(responder, 400,
             QStringLiteral("container %1 is not valid for pod %2").arg(container, podName));
        return;
    }
    if (KubeJson::at(pod, QStringLiteral("spec.nodeName")).toString().isEmpty()) {
        fail(responder, 400, QStringLiteral("pod %1 does not have a host assigned").arg(podName));
        return;
    }
    const QJsonObject status = statusOf(pod, container);
    const int restarts = status.value(QStringLiteral("restartCount")).toInt();
    const bool previous = flag(request, u"previous");
    int instance = restarts;
    if (previous) {
        instance = restarts - 1;
        if (instance < 0 || !m_ctx->logs->find(ns, podName, container, instance)) {
            fail(responder, 400,
                 QStringLiteral("previous terminated container \"%1\" in pod \"%2\" not found")
                     .arg(container, podName));
            return;
        }
    } else {
        const QJsonObject waiting =
            KubeJson::at(status, QStringLiteral("state.waiting")).toObject();
        if (status.isEmpty() || !waiting.isEmpty()) {
            QString reason = waiting.value(QStringLiteral("reason"))
                                 .toString(QStringLiteral("ContainerCreating"));
            if (reason == QStringLiteral("ErrImagePull") ||
                reason == QStringLiteral("ImagePullBackOff"))
                reason = QStringLiteral("trying and failing to pull image");
            fail(responder, 400,
                 QStringLiteral("container \"%1\" in pod \"%2\" is waiting to start: %3")
                     .arg(container, podName, reason));
            return;
        }
    }
    ContainerLog *log = m_ctx->logs->find(ns, podName, container, instance);
    HttpStream *stream = responder.startStream(200, {{"Content-Type", "text/plain"}});
    if (!stream)
        return;
    if (!log) { // a pod nobody simulates (orphaned): its log is empty
        stream->end();
        return;
    }
    qint64 from = log->firstIndex();
    if (sinceNs > 0)
        from = log->indexAtOrAfter(sinceNs);
    if (hasTail)
        from = qMax(from, log->endIndex() - tail);
    const bool follow = flag(request, u"follow");
    auto *follower = new LogFollower(log, stream, from, follow, flag(request, u"timestamps"),
                                     limitBytes, follow ? m_ctx->logDropEveryLines : 0, this);
    ++m_ctx->openLogStreams;
    ++m_ctx->logStreamsOpened;
    connect(follower, &LogFollower::finished, this, [ctx = m_ctx] { --ctx->openLogStreams; });
    follower->start();
}
