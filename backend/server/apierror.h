#pragma once

#include "http/httpresponse.h"

#include <QString>

// The one error type of the HTTP pipeline; toResponse() is the one place where an error
// becomes a status and a body (docs/architecture.md §3: {"code":<status>,"error":"…"}).
struct ApiError
{
    int status = 500;
    QString message;

    static ApiError badRequest(QString message) { return {400, std::move(message)}; }
    static ApiError notFound(QString message) { return {404, std::move(message)}; }
    static ApiError conflict(QString message) { return {409, std::move(message)}; }
    static ApiError unavailable(QString message) { return {503, std::move(message)}; }

    HttpResponse toResponse() const;
    static HttpResponse toResponse(int status, const QString &message);
};
