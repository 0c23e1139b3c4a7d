#pragma once

#include "apierror.h"

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace pw::server {

// The body of POST /images/pull, in the original service's three forms:
// {"names":["img:tag",…]}, {"name":"img","tag":"tag"}, {"name":"img:tag"}, with its
// tolerance: a non-empty names wins over name/tag; empty or null name, names or tag are
// ignored.
namespace PullRequestBody {
// The image references, or the error naming the field and what is allowed.
std::optional<ApiError> parse(const QByteArray &body, QStringList *references);
} // namespace PullRequestBody

} // namespace pw::server
