#include "uilog.h"

namespace pw::ui {

Q_LOGGING_CATEGORY(lcUi, "pullwatch.ui")

} // namespace pw::ui
