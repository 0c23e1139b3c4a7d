#pragma once

#include <http/httpresponder.h>

#include <QObject>

class ContainerLog;
class HttpRouter;
struct HttpRequest;
struct SimContext;

// GET /api/v1/namespaces/{ns}/pods/{name}/log: container choice and the apiserver's 400s,
// follow, previous, tailLines, sinceSeconds, sinceTime (whole seconds, as metav1.Time),
// timestamps (RFC 3339 with nine fractional digits), limitBytes.
class LogApi : public QObject {
    Q_OBJECT
public:
    LogApi(SimContext *context, QObject *parent);
    void addRoutes(HttpRouter &router);
    struct Options; // what a request asks for (logapi.cpp)

private:
    void serve(const HttpRequest &request, HttpResponder responder);
    void stream(ContainerLog *log, const Options &options, const HttpRequest &request,
                HttpResponder responder);

    SimContext *m_ctx;
};
