#pragma once

#include "core/logframe.h"

namespace pw::ui {

// The window reads /ws/pod-logs messages with the one reader of their format
// (core/logframe.h, LogFrameReader), measured by tst_ui_logthroughput and bench.
using LogFrameParser = core::LogFrameReader;

} // namespace pw::ui
