#include "corelog.h"

namespace pw::core {

Q_LOGGING_CATEGORY(lcCore, "pullwatch.core", QtInfoMsg)

} // namespace pw::core
