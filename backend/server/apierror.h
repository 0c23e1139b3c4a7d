#pragma once

#include "http/httpresponse.h"

#include <QString>

namespace pw::server {

// The one error type of the HTTP pipeline: what went wrong (a kind, not a status), the
// message naming what was wrong and what is allowed, and the request field or parameter at
// fault when there is one. status() is the one place where a kind becomes an HTTP status and
// toResponse() the one place where an error becomes a body (docs/architecture.md §3:
// {"code":<status>,"error":"…"}); handlers and the route table never choose a status for
// an error themselves.
struct ApiError
{
    enum class Kind {
        BadRequest,       // 400: a parameter or body is wrong
        Unauthenticated,  // 401
        Forbidden,        // 403: authenticated, but not allowed
        NotFound,         // 404
        Conflict,         // 409: the request contradicts the current state
        UpgradeRequired,  // 426: a WebSocket endpoint asked without an upgrade
        TooManyRequests,  // 429
        Internal,         // 500
        BadGateway,       // 502: the cluster refused or failed
        Unavailable,      // 503: the service the route needs is absent or not ready
    };

    Kind kind = Kind::Internal;
    QString message;
    QString field; // e.g. "job_id", "names[2]"; empty when no single field is at fault

    static ApiError badRequest(QString message, QString field = {})
    {
        return {Kind::BadRequest, std::move(message), std::move(field)};
    }
    static ApiError notFound(QString message) { return {Kind::NotFound, std::move(message), {}}; }
    static ApiError conflict(QString message) { return {Kind::Conflict, std::move(message), {}}; }
    static ApiError unavailable(QString message)
    {
        return {Kind::Unavailable, std::move(message), {}};
    }
    // A service's error that carries the status it chose (PullError): its kind.
    static ApiError fromStatus(int status, QString message);

    // What a 503 answers in Retry-After (RFC 9110 §10.2.3): a service that is absent, not ready
    // yet, or a cluster that does not answer; a client (the window, the platform) tries again.
    static constexpr int kRetryAfterSeconds = 5;

    static int status(Kind kind);
    int status() const { return status(kind); }
    http::HttpResponse toResponse() const;
    // For the answers the HTTP engine and the gate decide by status (404, 405, 413, 401…).
    static http::HttpResponse toResponse(int status, const QString &message);
};

} // namespace pw::server
