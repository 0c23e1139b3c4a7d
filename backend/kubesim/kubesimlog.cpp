#include "kubesimlog.h"

Q_LOGGING_CATEGORY(lcKubeSim, "pullwatch.kubesim", QtInfoMsg)
