#include "httplog.h"

Q_LOGGING_CATEGORY(lcHttp, "pullwatch.http", QtInfoMsg)
