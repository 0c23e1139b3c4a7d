#pragma once

#include <QtGlobal>

namespace FreePort {
// A TCP port on 127.0.0.1 that was free a moment ago (bound, then released).
quint16 pick();
} // namespace FreePort
