#include "corelog.h"

Q_LOGGING_CATEGORY(lcCore, "pullwatch.core", QtInfoMsg)
