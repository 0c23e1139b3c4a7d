#pragma once

// Shared by the kubesim suites: a streaming reader for watches and log follows, a Job
// manifest like the one Pullwatch creates, and JSON shortcuts.

#include <httpclient.h>
#include <kubesim/kubesim.h>

#include <memory>

#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

namespace KubeSimTest {

inline QJsonObject json(const QByteArray &body) {
    return QJsonDocument::fromJson(body).object();
}

inline QJsonValue at(const QJsonObject &o, const QString &dotted) {
    QJsonValue v = o;
    for (const QString &part : dotted.split(u'.'))
        v = v.toObject().value(part);
    return v;
}

// A long response read as it arrives (watch events, followed logs).
class Stream : public QObject {
public:
    Stream(QNetworkAccessManager &manager, const QUrl &url,
           const QList<QPair<QByteArray, QByteArray>> &headers = {}, bool pauseReading = false) {
        QNetworkRequest request(url);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        m_reply = manager.get(request);
        if (pauseReading)
            m_reply->setReadBufferSize(16 * 1024);
        connect(m_reply, &QNetworkReply::readyRead, this, [this] {
            if (!m_paused)
                data += m_reply->readAll();
        });
        connect(m_reply, &QNetworkReply::finished, this, [this] {
            status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (!m_paused && m_reply->isOpen())
                data += m_reply->readAll();
            if (m_reply->error() != QNetworkReply::NoError)
                networkError = m_reply->errorString();
            finished = true;
        });
        connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
            status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        });
        m_paused = pauseReading;
    }
    ~Stream() override {
        if (m_reply) {
            m_reply->abort();
            m_reply->deleteLater();
        }
    }
    void resume() {
        m_paused = false;
        m_reply->setReadBufferSize(0);
        data += m_reply->readAll();
    }
    void abort() { m_reply->abort(); }
    QList<QByteArray> lines() const {
        QList<QByteArray> out = data.split('\n');
        if (!out.isEmpty() && out.last().isEmpty())
            out.removeLast();
        return out;
    }
    QList<QJsonObject> events() const {
        QList<QJsonObject> out;
        for (const QByteArray &line : lines())
            out << json(line);
        return out;
    }
    // The events of one type whose object has this name (metadata.name).
    int count(const QString &type, const QString &name = {}) const {
        int n = 0;
        for (const QJsonObject &e : events())
            if (e.value(QStringLiteral("type")).toString() == type &&
                (name.isEmpty() ||
                 at(e, QStringLiteral("object.metadata.name")).toString() == name))
                ++n;
        return n;
    }

    QByteArray data;
    bool finished = false;
    int status = 0;
    QString networkError; // set when the response was cut (truncated body) or failed

private:
    QPointer<QNetworkReply> m_reply;
    bool m_paused = false;
};

// A pull Job as Pullwatch builds it: tools + pull-source init containers, crane copy main.
inline QByteArray pullJob(const QString &sourceImage, const QString &name = {},
                          int backoffLimit = 1, int deadlineSeconds = 600,
                          const QString &restartPolicy = QStringLiteral("Never")) {
    QJsonObject meta{
        {QStringLiteral("labels"),
         QJsonObject{{QStringLiteral("app.kubernetes.io/managed-by"), QStringLiteral("pullwatch")},
                     {QStringLiteral("pullwatch.io/role"), QStringLiteral("image-pull")}}},
        {QStringLiteral("annotations"),
         QJsonObject{{QStringLiteral("pullwatch.io/source-image"), sourceImage}}}};
    if (name.isEmpty())
        meta.insert(QStringLiteral("generateName"), QStringLiteral("image-puller-"));
    else
        meta.insert(QStringLiteral("name"), name);
    const QJsonObject tools{{QStringLiteral("name"), QStringLiteral("tools")},
                            {QStringLiteral("image"), QStringLiteral("busybox:1.36")}};
    const QJsonObject pull{{QStringLiteral("name"), QStringLiteral("pull-source")},
                           {QStringLiteral("image"), sourceImage},
                           {QStringLiteral("imagePullPolicy"), QStringLiteral("Always")}};
    const QJsonObject push{
        {QStringLiteral("name"), QStringLiteral("push-to-harbor")},
        {QStringLiteral("image"), QStringLiteral("gcr.io/go-containerregistry/crane:v0.20.2")},
        {QStringLiteral("args"), QJsonArray{QStringLiteral("copy"), sourceImage,
                                            QStringLiteral("harbor.example.com/library/") +
                                                sourceImage.section(u'/', -1)}}};
    const QJsonObject job{
        {QStringLiteral("apiVersion"), QStringLiteral("batch/v1")},
        {QStringLiteral("kind"), QStringLiteral("Job")},
        {QStringLiteral("metadata"), meta},
        {QStringLiteral("spec"),
         QJsonObject{
             {QStringLiteral("backoffLimit"), backoffLimit},
             {QStringLiteral("activeDeadlineSeconds"), deadlineSeconds},
             {QStringLiteral("template"),
              QJsonObject{{QStringLiteral("spec"),
                           QJsonObject{{QStringLiteral("restartPolicy"), restartPolicy},
                                       {QStringLiteral("initContainers"), QJsonArray{tools, pull}},
                                       {QStringLiteral("containers"), QJsonArray{push}}}}}}}}};
    return QJsonDocument(job).toJson(QJsonDocument::Compact);
}

// A simulator started for one test, and the requests the kubesim suites make of it.
class SimRequests {
protected:
    std::unique_ptr<pw::kubesim::KubeSim> m_sim;
    HttpClient m_http;

    bool startSim(double timeScale, QString *error) {
        pw::kubesim::KubeSimConfig config;
        config.timeScale = timeScale;
        m_sim = std::make_unique<pw::kubesim::KubeSim>(config);
        return m_sim->start(error);
    }
    QUrl url(const QString &pathAndQuery) const {
        return QUrl(m_sim->url().toString() + pathAndQuery);
    }
    HttpResult get(const QString &path, const QByteArray &accept = {}) {
        if (accept.isEmpty())
            return m_http.get(url(path));
        return m_http.get(url(path), {{"Accept", accept}});
    }
    QJsonObject createJob(const QByteArray &body, int expect = 201) {
        const HttpResult r = m_http.send(
            "POST", url(QStringLiteral("/apis/batch/v1/namespaces/default/jobs")), body);
        if (r.status != expect)
            qWarning() << r.status << r.body;
        return r.status == expect ? json(r.body) : QJsonObject();
    }
    QString startJob(const QByteArray &body) {
        return at(createJob(body), QStringLiteral("metadata.name")).toString();
    }
    QStringList names(const QByteArray &listBody) {
        QStringList out;
        for (const QJsonValue &v : json(listBody).value(QStringLiteral("items")).toArray())
            out << at(v.toObject(), QStringLiteral("metadata.name")).toString();
        return out;
    }
    QString podOf(const QString &job) {
        const QStringList pods = names(
            get(QStringLiteral("/api/v1/namespaces/default/pods?labelSelector=job-name%3D") + job)
                .body);
        return pods.value(0);
    }
};

} // namespace KubeSimTest
