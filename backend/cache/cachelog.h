#pragma once

#include <QLoggingCategory>

namespace pw::cache {

Q_DECLARE_LOGGING_CATEGORY(lcCache)

} // namespace pw::cache
