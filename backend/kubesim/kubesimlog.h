#pragma once

#include <QLoggingCategory>

namespace pw::kubesim {

Q_DECLARE_LOGGING_CATEGORY(lcKubeSim)

} // namespace pw::kubesim
