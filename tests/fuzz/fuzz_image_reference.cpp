// Image references as users type them: parse, and a parsed reference must print to a text
// that parses back to the same reference.
#include "core/imagereference.h"

#include <cstdlib>

using namespace pw::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = ImageReference::parse(text);
    if (!parsed.ok()) {
        if (parsed.error().isEmpty())
            abort();
        return 0;
    }
    const QString again = parsed.value().toString();
    const auto reparsed = ImageReference::parse(again);
    if (!reparsed.ok() || reparsed.value().toString() != again)
        abort();
    return 0;
}
