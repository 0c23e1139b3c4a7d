#include "kubelog.h"

namespace pw::kube {

Q_LOGGING_CATEGORY(lcKube, "pullwatch.kube", QtInfoMsg)

} // namespace pw::kube
