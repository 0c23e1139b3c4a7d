#include "cache.h"

namespace pw::cache {

} // namespace pw::cache
