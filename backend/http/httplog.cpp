#include "httplog.h"

namespace pw::http {

Q_LOGGING_CATEGORY(lcHttp, "pullwatch.http", QtInfoMsg)

} // namespace pw::http
