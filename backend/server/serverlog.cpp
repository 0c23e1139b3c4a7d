#include "serverlog.h"

Q_LOGGING_CATEGORY(lcServer, "pullwatch.server", QtInfoMsg)
