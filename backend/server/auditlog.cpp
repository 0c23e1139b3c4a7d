#include "auditlog.h"

#include "requestpolicy.h"
#include "serverlog.h"

#include "http/httprequest.h"
#include "http/httpresponder.h"

namespace pw::server {

namespace AuditLog {

std::shared_ptr<Subject> watch(const http::HttpRequest &request, http::HttpResponder &responder) {
    if (!RequestPolicy::isStateChanging(request.method) || request.isWebSocketUpgrade())
        return nullptr;
    auto subject = std::make_shared<Subject>();
    const QString from = request.peerAddress.toString();
    const QString what =
        QString::fromLatin1(request.method) + u' ' + QString::fromLatin1(request.rawPath.left(200));
    responder.setAnswerObserver([subject, from, what](int status) {
        qCInfo(lcServer).noquote().nospace()
            << "audit: " << subject->who << " from " << from << ": " << what << " -> " << status;
    });
    return subject;
}

} // namespace AuditLog

} // namespace pw::server
