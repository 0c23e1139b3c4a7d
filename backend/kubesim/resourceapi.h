#pragma once

#include <http/httpresponder.h>

#include <QObject>
#include <QString>

class HttpRouter;
class JobController;
struct HttpRequest;
struct SimContext;

// The REST resources: jobs (batch/v1), pods, events and namespaces (v1) — get, list (label
// and field selectors, limit/continue, Table), watch, create and delete, with the
// apiserver's Status errors.
class ResourceApi : public QObject {
    Q_OBJECT
public:
    ResourceApi(SimContext *context, JobController *jobs, QObject *parent);
    void addRoutes(HttpRouter &router);

    struct Kind {
        QString resource; // jobs
        QString kind;     // Job
        QString apiVersion;
        QString group;
    };

private:
    void list(const Kind &kind, const QString &ns, const HttpRequest &request,
              HttpResponder responder);
    void watch(const Kind &kind, const QString &ns, const HttpRequest &request,
               HttpResponder responder);
    void get(const Kind &kind, const QString &ns, const QString &name, const HttpRequest &request,
             HttpResponder responder);
    void createJob(const QString &ns, const HttpRequest &request, HttpResponder responder);
    void deleteJob(const QString &ns, const QString &name, const HttpRequest &request,
                   HttpResponder responder);
    void deletePod(const QString &ns, const QString &name, HttpResponder responder);
    void createNamespace(const HttpRequest &request, HttpResponder responder);
    bool namespaceExists(const QString &ns) const;

    SimContext *m_ctx;
    JobController *m_jobs;
};
