#include "serverlog.h"

namespace pw::server {

Q_LOGGING_CATEGORY(lcServer, "pullwatch.server", QtInfoMsg)

} // namespace pw::server
