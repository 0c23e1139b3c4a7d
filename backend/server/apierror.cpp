#include "apierror.h"

#include "core/envelope.h"

namespace pw::server {

int ApiError::status(Kind kind)
{
    switch (kind) {
    case Kind::BadRequest:
        return 400;
    case Kind::Unauthenticated:
        return 401;
    case Kind::Forbidden:
        return 403;
    case Kind::NotFound:
        return 404;
    case Kind::Conflict:
        return 409;
    case Kind::UpgradeRequired:
        return 426;
    case Kind::TooManyRequests:
        return 429;
    case Kind::Internal:
        return 500;
    case Kind::BadGateway:
        return 502;
    case Kind::Unavailable:
        return 503;
    }
    return 500;
}

ApiError ApiError::fromStatus(int status, QString message)
{
    for (Kind kind : {Kind::BadRequest, Kind::Unauthenticated, Kind::Forbidden, Kind::NotFound,
                      Kind::Conflict, Kind::UpgradeRequired, Kind::TooManyRequests,
                      Kind::BadGateway, Kind::Unavailable})
        if (ApiError::status(kind) == status)
            return {kind, std::move(message), {}};
    return {Kind::Internal, std::move(message), {}};
}

http::HttpResponse ApiError::toResponse() const
{
    return toResponse(status(), message);
}

http::HttpResponse ApiError::toResponse(int status, const QString &message)
{
    http::HttpResponse response =
        http::HttpResponse::json(status, core::Envelope::error(status, message));
    if (status == 503)
        response.setHeader("Retry-After", QByteArray::number(kRetryAfterSeconds));
    return response;
}

} // namespace pw::server
