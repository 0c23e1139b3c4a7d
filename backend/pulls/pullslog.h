#pragma once

#include <QLoggingCategory>

namespace pw::pulls {

Q_DECLARE_LOGGING_CATEGORY(lcPulls)

} // namespace pw::pulls
