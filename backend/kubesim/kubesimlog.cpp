#include "kubesimlog.h"

namespace pw::kubesim {

Q_LOGGING_CATEGORY(lcKubeSim, "pullwatch.kubesim", QtInfoMsg)

} // namespace pw::kubesim
