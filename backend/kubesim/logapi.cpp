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

#include <functional>
#include <optional>

namespace pw::kubesim {

// The PodLogOptions of a request, checked as the apiserver's validation does.
struct LogApi::Options {
    bool hasTail = false;
    qint64 tail = 0;
    qint64 sinceNs = 0; // 0: from the start
    qint64 limitBytes = 0;
};

namespace {

void fail(http::HttpResponder &responder, int code, const QString &message) {
    responder.send(
        http::HttpResponse::json(code, KubeJson::status(code, KubeJson::reasonForCode(code),
                                                        message)));
}

bool flag(const http::HttpRequest &request, QStringView key) {
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

// What the apiserver answers instead of a log: a status code and its message.
struct Refusal {
    int code;
    QString message;
};

std::optional<Refusal> readOptions(const http::HttpRequest &request, const QString &podName,
                                   LogApi::Options *o) {
    bool ok = true;
    o->hasTail = request.hasQueryItem(u"tailLines");
    o->tail = request.queryValue(u"tailLines").toLongLong(&ok);
    if (o->hasTail && (!ok || o->tail < 0))
        return Refusal{422, QStringLiteral("PodLogOptions \"%1\" is invalid: tailLines: Invalid "
                                           "value: %2: must be greater than or equal to 0")
                                .arg(podName, request.queryValue(u"tailLines"))};
    const bool hasSinceSeconds = request.hasQueryItem(u"sinceSeconds");
    const bool hasSinceTime = request.hasQueryItem(u"sinceTime");
    if (hasSinceSeconds && hasSinceTime)
        return Refusal{422, QStringLiteral("PodLogOptions \"%1\" is invalid: []: Forbidden: at "
                                           "most one of `sinceTime` or `sinceSeconds` may be "
                                           "specified")
                                .arg(podName)};
    if (hasSinceSeconds) {
        const qint64 s = request.queryValue(u"sinceSeconds").toLongLong(&ok);
        if (!ok || s < 1)
            return Refusal{422, QStringLiteral("PodLogOptions \"%1\" is invalid: sinceSeconds: "
                                               "Invalid value: %2: must be greater than 0")
                                    .arg(podName, request.queryValue(u"sinceSeconds"))};
        o->sinceNs = ContainerLog::nowNs() - s * 1000000000LL;
    } else if (hasSinceTime) {
        const QDateTime t = core::TimeFormat::parseRfc3339(request.queryValue(u"sinceTime"));
        if (!t.isValid())
            return Refusal{400, QStringLiteral("parsing time \"%1\" as "
                                               "\"2006-01-02T15:04:05Z07:00\": cannot parse")
                                    .arg(request.queryValue(u"sinceTime"))};
        // metav1.Time carries whole seconds: the fraction is dropped, as the real API does.
        o->sinceNs = t.toSecsSinceEpoch() * 1000000000LL;
    }
    o->limitBytes = request.queryValue(u"limitBytes").toLongLong();
    return std::nullopt;
}

// Which container: the one asked for, or the only one; the pod must be on a node.
std::optional<Refusal> chooseContainer(const http::HttpRequest &request, const QJsonObject &pod,
                                       const QString &podName, QString *container) {
    const QStringList mains = names(KubeJson::at(pod, QStringLiteral("spec.containers")).toArray());
    const QStringList inits =
        names(KubeJson::at(pod, QStringLiteral("spec.initContainers")).toArray());
    *container = request.queryValue(u"container");
    if (container->isEmpty()) {
        if (mains.size() != 1) {
            QString message =
                QStringLiteral("a container name must be specified for pod %1, choose one of: [%2]")
                    .arg(podName, mains.join(u' '));
            if (!inits.isEmpty())
                message +=
                    QStringLiteral(" or one of the init containers: [%1]").arg(inits.join(u' '));
            return Refusal{400, message};
        }
        *container = mains.first();
    }
    if (!mains.contains(*container) && !inits.contains(*container))
        return Refusal{400,
                       QStringLiteral("container %1 is not valid for pod %2").arg(*container, podName)};
    if (KubeJson::at(pod, QStringLiteral("spec.nodeName")).toString().isEmpty())
        return Refusal{400, QStringLiteral("pod %1 does not have a host assigned").arg(podName)};
    return std::nullopt;
}

// Which run of the container: the current one (it must have started) or, with previous=true,
// the one before.
std::optional<Refusal> chooseInstance(const http::HttpRequest &request, const QJsonObject &pod,
                                      const QString &podName, const QString &container,
                                      const std::function<bool(int)> &hasLog, int *instance) {
    const QJsonObject status = statusOf(pod, container);
    const int restarts = status.value(QStringLiteral("restartCount")).toInt();
    *instance = restarts;
    if (flag(request, u"previous")) {
        *instance = restarts - 1;
        if (*instance < 0 || !hasLog(*instance))
            return Refusal{400,
                           QStringLiteral("previous terminated container \"%1\" in pod \"%2\" "
                                          "not found")
                               .arg(container, podName)};
        return std::nullopt;
    }
    const QJsonObject waiting = KubeJson::at(status, QStringLiteral("state.waiting")).toObject();
    if (!status.isEmpty() && waiting.isEmpty())
        return std::nullopt;
    QString reason =
        waiting.value(QStringLiteral("reason")).toString(QStringLiteral("ContainerCreating"));
    if (reason == QStringLiteral("ErrImagePull") || reason == QStringLiteral("ImagePullBackOff"))
        reason = QStringLiteral("trying and failing to pull image");
    return Refusal{400, QStringLiteral("container \"%1\" in pod \"%2\" is waiting to start: %3")
                            .arg(container, podName, reason)};
}

} // namespace

LogApi::LogApi(SimContext *context, QObject *parent)
    : QObject(parent)
    , m_ctx(context) {}

void LogApi::addRoutes(http::HttpRouter &router) {
    router.add("GET", QStringLiteral("/api/v1/namespaces/{ns}/pods/{name}/log"),
               [this](const http::HttpRequest &rq, http::HttpResponder r) { serve(rq,
                                                                                  std::move(r)); });
}

void LogApi::serve(const http::HttpRequest &request, http::HttpResponder responder) {
    const QString ns = request.pathParam(QStringLiteral("ns"));
    const QString podName = request.pathParam(QStringLiteral("name"));
    const QJsonObject pod = m_ctx->store->get(QStringLiteral("pods"), ns, podName);
    if (pod.isEmpty()) {
        responder.send(http::HttpResponse::json(
            404, KubeJson::notFound(QStringLiteral("pods"), QString(), podName)));
        return;
    }
    Options options;
    QString container;
    int instance = 0;
    const auto hasLog = [&](int i) { return m_ctx->logs->find(ns, podName, container, i) != nullptr; };
    std::optional<Refusal> refusal = readOptions(request, podName, &options);
    if (!refusal)
        refusal = chooseContainer(request, pod, podName, &container);
    if (!refusal)
        refusal = chooseInstance(request, pod, podName, container, hasLog, &instance);
    if (refusal) {
        fail(responder, refusal->code, refusal->message);
        return;
    }
    stream(m_ctx->logs->find(ns, podName, container, instance), options, request,
           std::move(responder));
}

void LogApi::stream(ContainerLog *log, const Options &options, const http::HttpRequest &request,
                    http::HttpResponder responder) {
    http::HttpStream *stream = responder.startStream(200, {{"Content-Type", "text/plain"}});
    if (!stream)
        return;
    if (!log) { // a pod nobody simulates (orphaned): its log is empty
        stream->end();
        return;
    }
    qint64 from = log->firstIndex();
    if (options.sinceNs > 0)
        from = log->indexAtOrAfter(options.sinceNs);
    if (options.hasTail)
        from = qMax(from, log->endIndex() - options.tail);
    const bool follow = flag(request, u"follow");
    auto *follower =
        new LogFollower(log, stream, from, follow, flag(request, u"timestamps"),
                        options.limitBytes, follow ? m_ctx->logDropEveryLines : 0, this);
    ++m_ctx->openLogStreams;
    ++m_ctx->logStreamsOpened;
    connect(follower, &LogFollower::finished, this, [ctx = m_ctx] { --ctx->openLogStreams; });
    follower->start();
}

} // namespace pw::kubesim
