#pragma once

#include <QLoggingCategory>

namespace pw::core {

Q_DECLARE_LOGGING_CATEGORY(lcCore)

} // namespace pw::core
