#pragma once

#include <QLoggingCategory>

namespace pw::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

} // namespace pw::server
