#pragma once

#include "http/httpserver.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QTimer>

#include <memory>

namespace pw::http { class HttpStream; }

// A purpose-built Kubernetes API fake for the client's tests, on the project's HttpServer:
// Jobs (create, get, list, delete, watch with resourceVersion and bookmarks), Pods (get),
// Events, and pod logs with generated, timestamped lines. It injects the faults the
// client must survive: cut watches, 410 Gone, broken watch lines, dropped log streams,
// huge lines, odd Status bodies. (kubesim, the real simulator, is developed separately
// and shares no code with the client.)
class KubeFakeApi : public QObject {
    Q_OBJECT
public:
    explicit KubeFakeApi(QObject *parent = nullptr);
    ~KubeFakeApi() override;

    bool listen(quint16 port = 0);
    bool listenTls(const QSslConfiguration &tls);
    QString serverUrl() const;
    quint16 port() const;

    // Auth: when tokens are set, requests need one of them (401 otherwise); forbidden tokens
    // get 403.
    QSet<QByteArray> tokens;
    QSet<QByteArray> forbiddenTokens;
    int unauthorizedCount = 0;
    // Every request's target (path?query, raw) in order.
    QList<QByteArray> requests;
    QList<QByteArray> bodies; // each request's body, same order
    // A fixed answer for a path (status, body), checked before everything else.
    QMap<QString, QPair<int, QByteArray>> overrides;

    // Jobs.
    QJsonObject addJob(const QString &ns, const QString &name, const QJsonObject &labels);
    void updateJobStatus(const QString &ns, const QString &name, const QJsonObject &status);
    void removeJob(const QString &ns, const QString &name);
    int jobCount() const { return int(m_jobs.size()); }
    QJsonObject job(const QString &ns, const QString &name) const;
    // Faults.
    int watchCutMs = 0;  // end every watch after this long (0: never)
    int goneWatches = 0; // answer the next N watches 410 (alternating HTTP / event)
    int bookmarkWatches = 0; // the next N watches send a BOOKMARK at the current version and end
    int watchesServed = 0;
    void injectWatchLine(const QByteArray &raw); // written to every open watch
    void cutWatches();

    // Pods: running or terminated, one container each unless given.
    void setPod(const QString &ns, const QString &name, bool terminated,
                const QStringList &containers = {QStringLiteral("main")});
    void removePod(const QString &ns, const QString &name);
    // Logs of a pod: `lines` generated lines "line <n>" (n from 1), two per timestamp,
    // 1 ms apart from `logStart` (2,000 lines a second: a resume by
    // sinceTime re-sends at most 2,000 lines, so dropEvery must be larger to make progress); the
    // stream ends every `dropEvery` lines; after the last line the pod is marked terminated and the
    // stream ends. `hold`: after the lines, keep the stream open. `hugeLineBytes`: line 1 is that
    // long.
    struct LogSource {
        qint64 lines = 0;
        qint64 dropEvery = 0;
        bool hold = false;
        qint64 hugeLineBytes = 0;
    };
    void setLog(const QString &ns, const QString &pod, const LogSource &source);
    QDateTime logStart;
    int logConnections = 0;
    int openLogStreams() const;
    void endLogStreams(); // drops every open log stream

    // Timestamp of generated line n (1-based), RFC 3339 with nine fractional digits.
    QByteArray lineTimestamp(qint64 n) const;

private:
    struct Watch;
    struct LogFollow;
    void setUpRoutes();
    bool gate(const pw::http::HttpRequest &request, pw::http::HttpResponder &responder);
    void sendStatus(pw::http::HttpResponder &responder, int code, const QString &reason,
                    const QString &message);
    void listJobs(const pw::http::HttpRequest &request, pw::http::HttpResponder responder);
    void watchJobs(const pw::http::HttpRequest &request, pw::http::HttpResponder responder);
    void createJob(const pw::http::HttpRequest &request, pw::http::HttpResponder responder);
    void recordEvent(const QByteArray &type, const QJsonObject &object);
    QByteArray bookmarkLine() const;
    void streamLog(const pw::http::HttpRequest &request, pw::http::HttpResponder responder);
    void pumpLog(const std::shared_ptr<LogFollow> &follow);
    QJsonObject podObject(const QString &ns, const QString &name) const;

    pw::http::HttpServer m_server;
    quint64 m_resourceVersion = 100;
    QMap<QString, QJsonObject> m_jobs;           // ns/name → job
    QList<QPair<quint64, QByteArray>> m_history; // rv → event line
    QList<std::shared_ptr<Watch>> m_watches;
    QMap<QString, bool> m_pods; // ns/name → terminated
    QMap<QString, QStringList> m_podContainers;
    QMap<QString, LogSource> m_logs;
    QList<std::shared_ptr<LogFollow>> m_follows;
    int m_nameCounter = 0;
};
