#include "pullslog.h"

Q_LOGGING_CATEGORY(lcPulls, "pullwatch.pulls", QtInfoMsg)
