#include "kubefakeapi.h"

#include "http/httpstream.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace pw::http;

// The routes of KubeFakeApi, its pods and its generated pod logs.

struct KubeFakeApi::LogFollow {
    QPointer<HttpStream> stream;
    QString key;
    LogSource source;
    qint64 next = 1;
    qint64 sentThisConnection = 0;
    qint64 hugeRemaining = -1; // -1: not started
    bool follow = true;
};

namespace {

QByteArray json(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

constexpr qint64 kLineSpacingNs =
    1'000'000; // two lines per timestamp, 1 ms apart: 2,000 lines a second

} // namespace

void KubeFakeApi::setUpRoutes() {
    HttpRouter &r = m_server.router();
    const QString jobs = QStringLiteral("/apis/batch/v1/namespaces/{ns}/jobs");
    r.add("GET", jobs, [this](const HttpRequest &req, HttpResponder res) {
        const QString w = req.queryValue(QStringLiteral("watch"));
        if (w == u"1" || w == u"true")
            watchJobs(req, std::move(res));
        else
            listJobs(req, std::move(res));
    });
    r.add("POST", jobs,
          [this](const HttpRequest &req, HttpResponder res) { createJob(req, std::move(res)); });
    r.add("GET", jobs + QStringLiteral("/{name}"),
          [this](const HttpRequest &req, HttpResponder res) {
              const QJsonObject j =
                  job(req.pathParam(QStringLiteral("ns")), req.pathParam(QStringLiteral("name")));
              if (j.isEmpty())
                  sendStatus(res, 404, "NotFound",
                             QStringLiteral("jobs.batch \"%1\" not found")
                                 .arg(req.pathParam(QStringLiteral("name"))));
              else
                  res.send(HttpResponse::json(200, json(j)));
          });
    r.add("DELETE", jobs + QStringLiteral("/{name}"),
          [this](const HttpRequest &req, HttpResponder res) {
              const QString ns = req.pathParam(QStringLiteral("ns")),
                            name = req.pathParam(QStringLiteral("name"));
              const QJsonObject j = job(ns, name);
              if (j.isEmpty()) {
                  sendStatus(res, 404, "NotFound",
                             QStringLiteral("jobs.batch \"%1\" not found").arg(name));
                  return;
              }
              removeJob(ns, name);
              res.send(HttpResponse::json(200, json(j)));
          });
    const QString pods = QStringLiteral("/api/v1/namespaces/{ns}/pods");
    r.add("GET", pods, [this](const HttpRequest &req, HttpResponder res) {
        QJsonArray items;
        for (auto it = m_pods.cbegin(); it != m_pods.cend(); ++it)
            if (it.key().startsWith(req.pathParam(QStringLiteral("ns")) + u'/'))
                items.append(podObject(it.key().section(u'/', 0, 0), it.key().section(u'/', 1)));
        res.send(HttpResponse::json(200, json({{"kind", "PodList"},
                                               {"metadata", QJsonObject{{"resourceVersion", "1"}}},
                                               {"items", items}})));
    });
    r.add("GET", pods + QStringLiteral("/{name}"),
          [this](const HttpRequest &req, HttpResponder res) {
              const QJsonObject pod = podObject(req.pathParam(QStringLiteral("ns")),
                                                req.pathParam(QStringLiteral("name")));
              if (pod.isEmpty())
                  sendStatus(res, 404, "NotFound",
                             QStringLiteral("pods \"%1\" not found")
                                 .arg(req.pathParam(QStringLiteral("name"))));
              else
                  res.send(HttpResponse::json(200, json(pod)));
          });
    r.add("GET", pods + QStringLiteral("/{name}/log"),
          [this](const HttpRequest &req, HttpResponder res) { streamLog(req, std::move(res)); });
    r.add("GET", QStringLiteral("/api/v1/namespaces/{ns}/events"),
          [](const HttpRequest &req, HttpResponder res) {
              const QString field = req.queryValue(QStringLiteral("fieldSelector"));
              const QString name = field.section(u',', 0, 0).section(u'=', 1);
              const QJsonObject event{
                  {"reason", "Pulled"},
                  {"message", "Successfully pulled image"},
                  {"involvedObject", QJsonObject{{"name", name}, {"kind", "Pod"}}}};
              res.send(
                  HttpResponse::json(200, json({{"kind", "EventList"},
                                                {"metadata", QJsonObject{{"resourceVersion", "1"}}},
                                                {"items", QJsonArray{event}}})));
          });
}

void KubeFakeApi::setPod(const QString &ns, const QString &name, bool terminated,
                         const QStringList &containers) {
    m_pods.insert(ns + u'/' + name, terminated);
    m_podContainers.insert(ns + u'/' + name, containers);
}

void KubeFakeApi::removePod(const QString &ns, const QString &name) {
    m_pods.remove(ns + u'/' + name);
}

QJsonObject KubeFakeApi::podObject(const QString &ns, const QString &name) const {
    const QString key = ns + u'/' + name;
    if (!m_pods.contains(key))
        return {};
    const bool terminated = m_pods.value(key);
    QJsonArray specContainers, statuses;
    for (const QString &c : m_podContainers.value(key)) {
        specContainers.append(QJsonObject{{"name", c}});
        const QJsonObject state =
            terminated
                ? QJsonObject{{"terminated", QJsonObject{{"exitCode", 0}, {"reason", "Completed"}}}}
                : QJsonObject{{"running", QJsonObject{{"startedAt", "2026-11-27T10:00:00Z"}}}};
        statuses.append(QJsonObject{{"name", c}, {"state", state}});
    }
    return {{"kind", "Pod"},
            {"apiVersion", "v1"},
            {"metadata", QJsonObject{{"name", name}, {"namespace", ns}, {"uid", "pod-" + name}}},
            {"spec", QJsonObject{{"containers", specContainers}}},
            {"status", QJsonObject{{"phase", terminated ? "Succeeded" : "Running"},
                                   {"containerStatuses", statuses}}}};
}

void KubeFakeApi::setLog(const QString &ns, const QString &pod, const LogSource &source) {
    m_logs.insert(ns + u'/' + pod, source);
    if (!m_pods.contains(ns + u'/' + pod))
        setPod(ns, pod, false);
}

int KubeFakeApi::openLogStreams() const {
    int n = 0;
    for (const auto &f : m_follows)
        n += f->stream ? 1 : 0;
    return n;
}

void KubeFakeApi::endLogStreams() {
    const auto follows = std::exchange(m_follows, {});
    for (const auto &f : follows)
        if (f->stream)
            f->stream->end();
}

QByteArray KubeFakeApi::lineTimestamp(qint64 n) const {
    const qint64 offsetNs = ((n - 1) / 2) * kLineSpacingNs;
    const QDateTime t = logStart.addSecs(offsetNs / 1'000'000'000);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1() + '.' +
           QByteArray::number(offsetNs % 1'000'000'000).rightJustified(9, '0') + 'Z';
}

void KubeFakeApi::streamLog(const HttpRequest &request, HttpResponder res) {
    const QString key =
        request.pathParam(QStringLiteral("ns")) + u'/' + request.pathParam(QStringLiteral("name"));
    if (!m_pods.contains(key)) {
        sendStatus(
            res, 404, "NotFound",
            QStringLiteral("pods \"%1\" not found").arg(request.pathParam(QStringLiteral("name"))));
        return;
    }
    const QStringList containers = m_podContainers.value(key);
    const QString container = request.queryValue(QStringLiteral("container"));
    if (container.isEmpty() && containers.size() > 1) {
        sendStatus(
            res, 400, "BadRequest",
            QStringLiteral("a container name must be specified for pod %1, choose one of: [%2]")
                .arg(key.section(u'/', 1), containers.join(u' ')));
        return;
    }
    ++logConnections;
    auto f = std::make_shared<LogFollow>();
    f->key = key;
    f->source = m_logs.value(key);
    f->follow = request.queryValue(QStringLiteral("follow")) == u"true";
    const QString since = request.queryValue(QStringLiteral("sinceTime"));
    if (!since.isEmpty()) {
        const qint64 offsetS = logStart.secsTo(QDateTime::fromString(since, Qt::ISODate));
        if (offsetS > 0) {
            const qint64 pairs = (offsetS * 1'000'000'000 + kLineSpacingNs - 1) / kLineSpacingNs;
            f->next = pairs * 2 + 1;
        }
    }
    if (request.hasQueryItem(QStringLiteral("tailLines")))
        f->next = std::max<qint64>(
            f->next,
            f->source.lines - request.queryValue(QStringLiteral("tailLines")).toLongLong() + 1);
    f->stream = res.startStream(200, {{"Content-Type", "text/plain"}});
    if (!f->stream)
        return;
    m_follows.append(f);
    connect(f->stream, &HttpStream::drained, this, [this, f] { pumpLog(f); });
    pumpLog(f);
}

void KubeFakeApi::pumpLog(const std::shared_ptr<LogFollow> &f) {
    const qint64 chunk = 1024 * 1024;
    while (f->stream && f->stream->bufferedBytes() < 512 * 1024) {
        if (f->next > f->source.lines) {
            if (f->source.hold && f->follow)
                return;
            m_pods[f->key] = true; // the container finished its output
            f->stream->end();
            m_follows.removeAll(f);
            return;
        }
        if (f->source.dropEvery && f->sentThisConnection >= f->source.dropEvery) {
            f->stream->end(); // a dropped stream: the client must resume
            m_follows.removeAll(f);
            return;
        }
        if (f->next == 1 && f->source.hugeLineBytes > 0) {
            if (f->hugeRemaining < 0) {
                f->stream->write(lineTimestamp(1) + ' ');
                f->hugeRemaining = f->source.hugeLineBytes;
            }
            const qint64 n = std::min(chunk, f->hugeRemaining);
            f->hugeRemaining -= n;
            f->stream->write(QByteArray(n, 'x') + (f->hugeRemaining == 0 ? "\n" : ""));
            if (f->hugeRemaining == 0) {
                ++f->next;
                ++f->sentThisConnection;
            }
            continue;
        }
        QByteArray batch;
        for (int i = 0; i < 256 && f->next <= f->source.lines &&
                        (!f->source.dropEvery || f->sentThisConnection < f->source.dropEvery);
             ++i) {
            batch += lineTimestamp(f->next) + " line " + QByteArray::number(f->next) + " ünïcödé\n";
            ++f->next;
            ++f->sentThisConnection;
        }
        f->stream->write(batch);
    }
}
