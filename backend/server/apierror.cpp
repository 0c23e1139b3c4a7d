#include "apierror.h"

#include "core/envelope.h"

HttpResponse ApiError::toResponse() const
{
    return toResponse(status, message);
}

HttpResponse ApiError::toResponse(int status, const QString &message)
{
    return HttpResponse::json(status, Envelope::error(status, message));
}
