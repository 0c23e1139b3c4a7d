#pragma once

#include <QLoggingCategory>

namespace pw::kube {

Q_DECLARE_LOGGING_CATEGORY(lcKube)

} // namespace pw::kube
