#include "cachelog.h"

Q_LOGGING_CATEGORY(lcCache, "pullwatch.cache", QtInfoMsg)
