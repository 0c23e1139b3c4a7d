#pragma once

#include <QLoggingCategory>

namespace pw::ui {

Q_DECLARE_LOGGING_CATEGORY(lcUi)

} // namespace pw::ui
