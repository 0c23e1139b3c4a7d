#include "pullslog.h"

namespace pw::pulls {

Q_LOGGING_CATEGORY(lcPulls, "pullwatch.pulls", QtInfoMsg)

} // namespace pw::pulls
