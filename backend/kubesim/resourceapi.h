#pragma once

#include <http/httpresponder.h>

#include <QObject>
#include <QString>

namespace pw::http { class HttpRouter; }
namespace pw::http { struct HttpRequest; }

namespace pw::kubesim {

class JobController;
struct SimContext;

// The REST resources: jobs (batch/v1), pods, events and namespaces (v1) — get, list (label
// and field selectors, limit/continue, Table), watch, create and delete, with the
// apiserver's Status errors.
class ResourceApi : public QObject {
    Q_OBJECT
public:
    ResourceApi(SimContext *context, JobController *jobs, QObject *parent);
    void addRoutes(http::HttpRouter &router);

    struct Kind {
        QString resource; // jobs
        QString kind;     // Job
        QString apiVersion;
        QString group;
    };

private:
    void list(const Kind &kind, const QString &ns, const http::HttpRequest &request,
              http::HttpResponder responder);
    void watch(const Kind &kind, const QString &ns, const http::HttpRequest &request,
               http::HttpResponder responder);
    void get(const Kind &kind, const QString &ns, const QString &name,
             const http::HttpRequest &request,
             http::HttpResponder responder);
    void createJob(const QString &ns, const http::HttpRequest &request,
                   http::HttpResponder responder);
    void deleteJob(const QString &ns, const QString &name, const http::HttpRequest &request,
                   http::HttpResponder responder);
    void deletePod(const QString &ns, const QString &name, http::HttpResponder responder);
    void createNamespace(const http::HttpRequest &request, http::HttpResponder responder);
    bool namespaceExists(const QString &ns) const;

    SimContext *m_ctx;
    JobController *m_jobs;
};

} // namespace pw::kubesim
