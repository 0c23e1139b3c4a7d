#include "cachelog.h"

namespace pw::cache {

Q_LOGGING_CATEGORY(lcCache, "pullwatch.cache", QtInfoMsg)

} // namespace pw::cache
