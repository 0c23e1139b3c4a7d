#include "kubelog.h"

Q_LOGGING_CATEGORY(lcKube, "pullwatch.kube", QtInfoMsg)
