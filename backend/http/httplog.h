#pragma once

#include <QLoggingCategory>

namespace pw::http {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

} // namespace pw::http
