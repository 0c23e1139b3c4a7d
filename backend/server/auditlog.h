#pragma once

#include <QString>

#include <memory>

namespace pw::http { class HttpResponder; }
namespace pw::http { struct HttpRequest; }

namespace pw::server {

// One log line per state-changing request (docs/architecture.md §6): who (token, session,
// jwt:<username>, open, or unauthenticated), from which address, what (method and path,
// never the query or a credential), and the status it was answered with — including
// refusals by the gate. Written when the answer is sent.
namespace AuditLog {

// The identity named in the line; the gate sets it once the request is authenticated.
struct Subject {
    QString who = QStringLiteral("unauthenticated");
};

// Arranges for the line to be written when `responder` answers; nullptr for requests that
// change nothing (GET, HEAD, OPTIONS).
std::shared_ptr<Subject> watch(const http::HttpRequest &request, http::HttpResponder &responder);

} // namespace AuditLog

} // namespace pw::server
