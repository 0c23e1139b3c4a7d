#pragma once

#include "core/logframe.h"

// The window reads /ws/pod-logs messages with the one reader of their format
// (core/logframe.h, LogFrameReader), measured by tst_ui_logthroughput and bench.
using LogFrameParser = LogFrameReader;
