#pragma once

#include <http/httpresponder.h>

#include <QObject>

namespace pw::http { class HttpRouter; }
namespace pw::http { struct HttpRequest; }

namespace pw::kubesim {

class ContainerLog;
struct SimContext;

// GET /api/v1/namespaces/{ns}/pods/{name}/log: container choice and the apiserver's 400s,
// follow, previous, tailLines, sinceSeconds, sinceTime (whole seconds, as metav1.Time),
// timestamps (RFC 3339 with nine fractional digits), limitBytes.
class LogApi : public QObject {
    Q_OBJECT
public:
    LogApi(SimContext *context, QObject *parent);
    void addRoutes(http::HttpRouter &router);
    struct Options; // what a request asks for (logapi.cpp)

private:
    void serve(const http::HttpRequest &request, http::HttpResponder responder);
    void stream(ContainerLog *log, const Options &options, const http::HttpRequest &request,
                http::HttpResponder responder);

    SimContext *m_ctx;
};

} // namespace pw::kubesim
