#include "kubefakeapi.h"

#include "http/httpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

using namespace pw::http;

struct KubeFakeApi::Watch {
    QPointer<HttpStream> stream;
    QString ns;
    QString selector;
};

namespace {

QByteArray json(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool labelsMatch(const QJsonObject &labels, const QString &selector) {
    for (const QString &term : selector.split(u',', Qt::SkipEmptyParts)) {
        const QStringList kv = term.split(u'=');
        if (kv.size() != 2 || labels.value(kv[0]).toString() != kv[1])
            return false;
    }
    return true;
}

QJsonObject jobLabels(const QJsonObject &job) {
    return job[QLatin1String("metadata")][QLatin1String("labels")].toObject();
}

} // namespace

KubeFakeApi::KubeFakeApi(QObject *parent)
    : QObject(parent) {
    logStart = QDateTime(QDate(2026, 11, 27), QTime(10, 0, 0), QTimeZone::utc());
    m_server.setErrorResponder([](int status, const QString &message) {
        return HttpResponse::json(
            status, json({{"kind", "Status"}, {"code", status}, {"message", message}}));
    });
    m_server.setGate([this](const HttpRequest &r, HttpResponder &res) { return gate(r, res); });
    HttpLimits limits;
    limits.idleTimeoutMs = 600'000;
    limits.requestTimeoutMs = 600'000;
    m_server.setLimits(limits);
    setUpRoutes();
}

KubeFakeApi::~KubeFakeApi() {
    m_server.close();
}

bool KubeFakeApi::listen(quint16 port) {
    return m_server.listen(QHostAddress::LocalHost, port);
}

bool KubeFakeApi::listenTls(const QSslConfiguration &tls) {
    return m_server.listenTls(QHostAddress::LocalHost, 0, tls);
}

quint16 KubeFakeApi::port() const {
    return m_server.serverPort();
}

QString KubeFakeApi::serverUrl() const {
    return QStringLiteral("%1://127.0.0.1:%2")
        .arg(m_server.isTls() ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(port());
}

void KubeFakeApi::sendStatus(HttpResponder &res, int code, const QString &reason,
                             const QString &message) {
    res.send(HttpResponse::json(code, json({{"kind", "Status"},
                                            {"apiVersion", "v1"},
                                            {"metadata", QJsonObject()},
                                            {"status", "Failure"},
                                            {"message", message},
                                            {"reason", reason},
                                            {"code", code}})));
}

bool KubeFakeApi::gate(const HttpRequest &request, HttpResponder &res) {
    requests.append(request.target);
    bodies.append(request.body);
    if (overrides.contains(request.path())) {
        const auto answer = overrides.value(request.path());
        res.send(HttpResponse::json(answer.first, answer.second));
        return true;
    }
    const QByteArray auth = request.header("authorization");
    const QByteArray token = auth.startsWith("Bearer ") ? auth.mid(7) : QByteArray();
    if (forbiddenTokens.contains(token)) {
        sendStatus(res, 403, "Forbidden",
                   "jobs.batch is forbidden: User \"test\" cannot list resource \"jobs\"");
        return true;
    }
    if (!tokens.isEmpty() && !tokens.contains(token)) {
        ++unauthorizedCount;
        sendStatus(res, 401, "Unauthorized", "Unauthorized");
        return true;
    }
    return false;
}

QJsonObject KubeFakeApi::addJob(const QString &ns, const QString &name, const QJsonObject &labels) {
    QJsonObject meta{{"name", name},
                     {"namespace", ns},
                     {"labels", labels},
                     {"uid", QStringLiteral("uid-%1-%2").arg(name).arg(++m_nameCounter)},
                     {"resourceVersion", QString::number(++m_resourceVersion)}};
    QJsonObject job{{"kind", "Job"},
                    {"apiVersion", "batch/v1"},
                    {"metadata", meta},
                    {"spec", QJsonObject()},
                    {"status", QJsonObject()}};
    m_jobs.insert(ns + u'/' + name, job);
    recordEvent("ADDED", job);
    return job;
}

QJsonObject KubeFakeApi::job(const QString &ns, const QString &name) const {
    return m_jobs.value(ns + u'/' + name);
}

void KubeFakeApi::updateJobStatus(const QString &ns, const QString &name,
                                  const QJsonObject &status) {
    auto it = m_jobs.find(ns + u'/' + name);
    if (it == m_jobs.end())
        return;
    QJsonObject meta = it.value()[QLatin1String("metadata")].toObject();
    meta[QLatin1String("resourceVersion")] = QString::number(++m_resourceVersion);
    it.value()[QLatin1String("metadata")] = meta;
    it.value()[QLatin1String("status")] = status;
    recordEvent("MODIFIED", it.value());
}

void KubeFakeApi::removeJob(const QString &ns, const QString &name) {
    QJsonObject job = m_jobs.take(ns + u'/' + name);
    if (job.isEmpty())
        return;
    QJsonObject meta = job[QLatin1String("metadata")].toObject();
    meta[QLatin1String("resourceVersion")] = QString::number(++m_resourceVersion);
    job[QLatin1String("metadata")] = meta;
    recordEvent("DELETED", job);
}

void KubeFakeApi::recordEvent(const QByteArray &type, const QJsonObject &object) {
    const QByteArray line = json({{"type", QString::fromLatin1(type)}, {"object", object}}) + '\n';
    m_history.append({m_resourceVersion, line});
    const QString ns = object[QLatin1String("metadata")][QLatin1String("namespace")].toString();
    for (const auto &w : std::as_const(m_watches))
        if (w->stream && w->ns == ns && labelsMatch(jobLabels(object), w->selector))
            w->stream->write(line);
}

void KubeFakeApi::injectWatchLine(const QByteArray &raw) {
    for (const auto &w : std::as_const(m_watches))
        if (w->stream)
            w->stream->write(raw);
}

void KubeFakeApi::cutWatches() {
    const auto watches = std::exchange(m_watches, {});
    for (const auto &w : watches)
        if (w->stream)
            w->stream->end();
}

void KubeFakeApi::listJobs(const HttpRequest &request, HttpResponder res) {
    const QString ns = request.pathParam(QStringLiteral("ns"));
    const QString selector = request.queryValue(QStringLiteral("labelSelector"));
    QJsonArray items;
    for (const QJsonObject &job : std::as_const(m_jobs))
        if (job[QLatin1String("metadata")][QLatin1String("namespace")].toString() == ns &&
            labelsMatch(jobLabels(job), selector))
            items.append(job);
    res.send(HttpResponse::json(
        200,
        json({{"kind", "JobList"},
              {"apiVersion", "batch/v1"},
              {"metadata", QJsonObject{{"resourceVersion", QString::number(m_resourceVersion)}}},
              {"items", items}})));
}

void KubeFakeApi::watchJobs(const HttpRequest &request, HttpResponder res) {
    ++watchesServed;
    const quint64 from = request.queryValue(QStringLiteral("resourceVersion")).toULongLong();
    if (goneWatches > 0) {
        if (goneWatches-- % 2 == 0) {
            sendStatus(res, 410, "Expired", "too old resource version");
            return;
        }
        QPointer<HttpStream> s = res.startStream(200, {{"Content-Type", "application/json"}});
        s->write(json({{"type", "ERROR"},
                       {"object", QJsonObject{{"kind", "Status"},
                                              {"code", 410},
                                              {"reason", "Expired"},
                                              {"message", "too old resource version"}}}}) +
                 '\n');
        s->end();
        return;
    }
    auto w = std::make_shared<Watch>();
    w->ns = request.pathParam(QStringLiteral("ns"));
    w->selector = request.queryValue(QStringLiteral("labelSelector"));
    w->stream = res.startStream(200, {{"Content-Type", "application/json"}});
    if (!w->stream)
        return;
    for (const auto &[rv, line] : std::as_const(m_history)) {
        if (rv <= from)
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line)[QLatin1String("object")].toObject();
        if (o[QLatin1String("metadata")][QLatin1String("namespace")].toString() == w->ns &&
            labelsMatch(jobLabels(o), w->selector))
            w->stream->write(line);
    }
    if (bookmarkWatches > 0) {
        --bookmarkWatches;
        w->stream->write(bookmarkLine());
        w->stream->end();
        return;
    }
    m_watches.append(w);
    if (watchCutMs > 0) {
        const bool bookmark = watchesServed % 2 == 0;
        QTimer::singleShot(watchCutMs, this, [this, w, bookmark] {
            m_watches.removeAll(w);
            if (!w->stream)
                return;
            if (bookmark)
                w->stream->write(bookmarkLine());
            w->stream->end();
        });
    }
}

QByteArray KubeFakeApi::bookmarkLine() const {
    return json({{"type", "BOOKMARK"},
                 {"object",
                  QJsonObject{{"kind", "Job"},
                              {"metadata", QJsonObject{{"resourceVersion",
                                                        QString::number(m_resourceVersion)}}}}}}) +
           '\n';
}

void KubeFakeApi::createJob(const HttpRequest &request, HttpResponder res) {
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonObject meta = body[QLatin1String("metadata")].toObject();
    QString name = meta[QLatin1String("name")].toString();
    if (name.isEmpty())
        name = meta[QLatin1String("generateName")].toString() +
               QStringLiteral("x%1").arg(m_nameCounter + 1);
    const QString ns = request.pathParam(QStringLiteral("ns"));
    if (m_jobs.contains(ns + u'/' + name)) {
        sendStatus(res, 409, "AlreadyExists",
                   QStringLiteral("jobs.batch \"%1\" already exists").arg(name));
        return;
    }
    res.send(
        HttpResponse::json(201, json(addJob(ns, name, meta[QLatin1String("labels")].toObject()))));
}
